import ArgumentParser
import Foundation
import MIAContracts
import MIAKafka

/// `mia devbroker`: the embedded development broker.
struct DevBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devbroker",
        abstract: "Run the development broker (librdkafka's mock cluster) on loopback, with every topic created.",
        discussion: """
            Other processes connect to the printed bootstrap address over TCP and speak the real Kafka protocol. \
            Runs until SIGINT or SIGTERM; all data is kept in memory and is gone when it stops.

            Limits of the development broker (librdkafka 2.0.2), which MIAFlow designs around:
              - each partition keeps about 5 MiB or 100,000 batches and silently drops the oldest beyond that: \
            use --partitions to spread large volumes, and check that low watermarks stay 0;
              - no CreateTopics/DeleteTopics/DescribeConfigs (this command creates the topics itself);
              - an unknown topic is auto-created with 4 partitions on a metadata request;
              - transactions are not isolated, and there is no compaction or time retention;
              - a member joining a group waits session.timeout.ms minus one second before the rebalance;
              - a fetch with no data waits the full fetch.wait.max.ms.
            """)

    @Option(help: "Number of brokers.")
    var brokers: Int = 3

    @Option(help: "Partitions of the participant-scoped topics.")
    var partitions: Int = TopicRegistry.default.participantPartitions

    @Option(help: "Partitions of the other topics.")
    var otherPartitions: Int = TopicRegistry.default.otherPartitions

    @Option(
        name: .customLong("topic"),
        help: ArgumentHelp(
            "Also create this topic, with --other-partitions partitions (repeatable). A topic created on first use gets "
                + "only 4 partitions, and each keeps only about 5 MiB.", valueName: "name"))
    var extraTopics: [String] = []

    @Option(help: ArgumentHelp("Write the bootstrap address to this file once the broker is ready.", valueName: "path"))
    var bootstrapFile: String?

    func validate() throws {
        guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 16") }
        guard partitions > 0, otherPartitions > 0 else { throw ValidationError("partition counts must be positive") }
        let known = Set(TopicRegistry.default.topics.map(\.name))
        for topic in extraTopics where topic.isEmpty || known.contains(topic) {
            throw ValidationError(
                "--topic \(topic): \(topic.isEmpty ? "a topic needs a name" : "already a MIAFlow topic")")
        }
    }

    func run() async throws {
        let logger = CommandLogging.logger("mia.devbroker")
        let shutdown = ShutdownSignal.install()
        let cluster = try MockKafkaCluster(brokers: brokers, logger: logger)
        let registry = TopicRegistry(participantPartitions: partitions, otherPartitions: otherPartitions)
        for spec in registry.topics {
            try cluster.createTopic(spec.name, partitions: spec.partitions)
        }
        for topic in Set(extraTopics) {
            try cluster.createTopic(topic, partitions: otherPartitions)
        }
        if let bootstrapFile {
            // Write atomically so that a reader never sees a half-written address.
            try Data((cluster.bootstrapServers + "\n").utf8).write(
                to: URL(fileURLWithPath: bootstrapFile), options: .atomic)
        }
        print(
            """
            MIAFlow development broker: \(brokers) brokers, \(registry.topics.count + Set(extraTopics).count) topics \
            (\(partitions) partitions participant-scoped, \(otherPartitions) others)
            warning: each partition keeps only about 5 MiB or 100,000 batches and silently drops older records; \
            data lives in memory until this process stops
            bootstrap: \(cluster.bootstrapServers)
            """)
        fflush(nil)  // flush stdout now: a parent process may be waiting for the address
        let signal = await shutdown.wait()
        print("\(signal) received, stopping the development broker")
        withExtendedLifetime(cluster) {}
    }
}
