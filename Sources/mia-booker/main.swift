import ArgumentParser

// Parses the command line and awaits the asynchronous `run()` explicitly: `BookerCommand.main()` resolves to
// the synchronous entry point on Linux.
do {
    let command = try BookerCommand.parse()
    try await command.run()
} catch {
    BookerCommand.exit(withError: error)
}
