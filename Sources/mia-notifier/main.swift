import ArgumentParser

// Parses the command line and awaits the asynchronous `run()` explicitly: `NotifierCommand.main()` resolves to
// the synchronous entry point on Linux.
do {
    let command = try NotifierCommand.parse()
    try await command.run()
} catch {
    NotifierCommand.exit(withError: error)
}
