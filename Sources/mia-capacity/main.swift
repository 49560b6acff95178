import ArgumentParser

// Parses the command line and awaits the asynchronous `run()` explicitly: `CapacityCommand.main()` resolves to
// the synchronous entry point on Linux.
do {
    let command = try CapacityCommand.parse()
    try await command.run()
} catch {
    CapacityCommand.exit(withError: error)
}
