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
            "notifier", "deploy",
        ] {
            #expect(output.stdout.contains("  \(command) "), "\(command) is listed")
            let help = try await runToCompletion("mia", [command, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: mia \(command)"), "\(command) --help")
        }
    }

    @Test(
        "A worker refuses to start when MIA_KAFKA_* would configure a guarantee away, naming the variable",
        arguments: ["mia-notifier", "mia-booker", "mia-capacity", "mia-stats"])
    func guaranteeOverrideRefused(worker: String) async throws {
        let output = try await runToCompletion(
            worker, ["--bootstrap", "127.0.0.1:1", "--database", "/nonexistent/never-opened.sqlite"],
            environment: ["MIA_KAFKA_ENABLE_AUTO_COMMIT": "false"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("MIA_KAFKA_ENABLE_AUTO_COMMIT cannot be set"), "\(output.stderr)")
    }
}
