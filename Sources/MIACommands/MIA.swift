import ArgumentParser
import Foundation

/// The `mia` command: the user-facing tool of MIAFlow.
public struct MIA: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "mia",
        abstract: "MIAFlow: the event backbone of MIA (Mobilisering inför arbete).",
        discussion: """
            Agency systems publish anvisningar, uppföljningar and slutdokumentation to Kafka topics; the workers \
            mia-notifier, mia-booker, mia-capacity and mia-stats react. This tool runs the development broker, \
            creates topics, generates and publishes messages, and reads the workers' state.

            Kafka settings come from --bootstrap or MIA_KAFKA_BOOTSTRAP, and any librdkafka property from \
            MIA_KAFKA_<PROPERTY> with dots written as underscores (MIA_KAFKA_SECURITY_PROTOCOL=SASL_SSL).

            Start here:
              mia devbroker --bootstrap-file .mia-bootstrap     # terminal 1
              export MIA_KAFKA_BOOTSTRAP=$(cat .mia-bootstrap)  # terminal 2
              mia topics list
            """,
        subcommands: [
            DevBrokerCommand.self, TopicsCommand.self, ConsumeCommand.self, PublishCommand.self, SimulateCommand.self,
            AsfCommand.self, MeetingsCommand.self, StatsCommand.self, DemoCommand.self, DeadLetterCommand.self,
            NotifierCommand.self, DeployCommand.self, BenchCommand.self,
        ]
    )

    public init() {}
}

extension MIA {
    /// Parses the process's arguments and runs the chosen subcommand, awaiting asynchronous ones.
    ///
    /// Used by the `mia` executable instead of `main()`, whose overload resolution from another module
    /// picks the synchronous entry point on Linux.
    public static func runAsync(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            exit(withError: error)
        }
    }
}
