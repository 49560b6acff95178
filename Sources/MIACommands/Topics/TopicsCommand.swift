import ArgumentParser
import Foundation
import MIAContracts
import MIAKafka

/// `mia topics`: create and list the registry's topics on a cluster.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create or list MIAFlow's topics on a Kafka cluster.",
        subcommands: [Create.self, List.self]
    )

    /// Registry sizing options shared by the subcommands.
    struct RegistryOptions: ParsableArguments {
        @Option(help: "Partitions of the participant-scoped topics (they must all have the same count).")
        var partitions: Int = TopicRegistry.default.participantPartitions

        @Option(help: "Partitions of the other topics.")
        var otherPartitions: Int = TopicRegistry.default.otherPartitions

        var registry: TopicRegistry {
            TopicRegistry(participantPartitions: partitions, otherPartitions: otherPartitions)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create every registry topic; topics that exist already are left as they are.",
            discussion: """
                Uses the Kafka Admin API (CreateTopics), so it works against any Apache Kafka cluster. \
                The development broker cannot serve CreateTopics: `mia devbroker` creates the topics itself.
                """)

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var sizing: RegistryOptions

        @Option(help: "Replication factor (default: the registry's, 3). Use 1 on a single-broker cluster.")
        var replicationFactor: Int?

        @Option(help: "Seconds to wait for the cluster.")
        var timeout: Int = 30

        func run() async throws {
            let logger = CommandLogging.logger("mia.topics")
            let admin = try KafkaAdmin(configuration: kafka.configuration(clientId: "mia-topics"), logger: logger)
            let requests = TopicProvisioning.newTopics(registry: sizing.registry, replicationFactor: replicationFactor)
            let results = try await admin.createTopics(requests, timeout: .seconds(timeout))
            var failed = 0
            for result in results {
                switch result.status {
                case .created: print("created  \(result.name)")
                case .alreadyExists: print("exists   \(result.name)")
                case .failed(let reason):
                    failed += 1
                    print("FAILED   \(result.name): \(reason)")
                }
            }
            if failed > 0 { throw ExitCode.failure }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the cluster's topics next to the registry: partitions, and what is missing.")

        @OptionGroup var kafka: KafkaOptions
        @OptionGroup var sizing: RegistryOptions

        @Flag(help: "Also list topics that are not in the registry.")
        var all = false

        @Flag(
            help:
                "Add the records each topic holds (high minus low watermark, summed over partitions) and whether any partition's low watermark is above 0, i.e. the development broker dropped records."
        )
        var offsets = false

        func run() async throws {
            let logger = CommandLogging.logger("mia.topics")
            let admin = try KafkaAdmin(configuration: kafka.configuration(clientId: "mia-topics"), logger: logger)
            let existing = try admin.listTopics()
            var problems = 0
            print(
                "TOPIC".padding(toLength: 24, withPad: " ", startingAt: 0) + "PARTITIONS  "
                    + (offsets ? "RECORDS     " : "") + "STATUS")
            for spec in sizing.registry.topics {
                let actual = existing[spec.name]
                let status: String
                switch actual {
                case nil:
                    status = "missing"
                    problems += 1
                case spec.partitions?: status = spec.isCompacted ? "ok (compacted)" : "ok"
                case let count?: status = "expected \(spec.partitions) partitions, has \(count)"
                }
                let partitions = actual.map(String.init) ?? "-"
                var records = ""
                if offsets {
                    var total: Int64 = 0
                    var dropped = false
                    for partition in 0..<(actual ?? 0) {
                        let marks = try admin.watermarks(topic: spec.name, partition: Int32(partition))
                        total += marks.high - marks.low
                        dropped = dropped || marks.low > 0
                    }
                    records = (String(total) + (dropped ? "!" : "")).padding(toLength: 12, withPad: " ", startingAt: 0)
                    if dropped { problems += 1 }
                }
                print(
                    spec.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                        + partitions.padding(toLength: 12, withPad: " ", startingAt: 0) + records + status
                        + (records.contains("!") ? "; records dropped (low watermark above 0)" : ""))
            }
            if all {
                for (name, count) in existing.sorted(by: { $0.key < $1.key })
                where sizing.registry.topic(named: name) == nil {
                    print(
                        name.padding(toLength: 24, withPad: " ", startingAt: 0)
                            + String(count).padding(toLength: 12, withPad: " ", startingAt: 0) + "not in registry")
                }
            }
            if problems > 0 { throw ExitCode.failure }
        }
    }
}
