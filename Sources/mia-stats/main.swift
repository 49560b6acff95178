import ArgumentParser

// Parses the command line and awaits the asynchronous `run()` explicitly: `StatsCommand.main()` resolves to
// the synchronous entry point on Linux.
do {
    let command = try StatsCommand.parse()
    try await command.run()
} catch {
    StatsCommand.exit(withError: error)
}
