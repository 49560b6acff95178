import MIAWorkerTestKit
import Testing

@Suite("mia --help")
struct HelpTests {
    @Test("Every subcommand is registered and explained")
    func subcommands() async throws {
        let output = try await runToCompletion("mia", ["--help"])
        #expect(output.status == 0)
        for command in [
            "devbroker", "topics", "consume", "publish", "simulate", "asf", "meetings", "stats", "demo", "dlq",
            "deploy",
        ] {
            #expect(output.stdout.contains("  \(command) "), "\(command) is listed")
            let help = try await runToCompletion("mia", [command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: mia \(command)"), "\(command) --help")
        }
    }
}
