import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

/// A development broker with every registry topic, reached by worker processes over loopback TCP.
struct ProcessBroker {
    let cluster: MockKafkaCluster
    let kafka: KafkaConfiguration
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    init() throws {
        cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        for spec in TopicRegistry.default.topics { try cluster.createTopic(spec.name, partitions: spec.partitions) }
        kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
    }

    /// Publishes events on their topics, keyed by their subjects, and waits for every delivery report.
    func produce(_ events: [CloudEvent]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        let records = try events.map { event in
            KafkaProducerMessage(topic: event.topic, key: event.subject, value: Array(try EventEncoder().encode(event)))
        }
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()
    }

    /// The number of records on a topic, after checking that the broker dropped none.
    func count(_ topic: String) throws -> Int {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        let partitions = try #require(try admin.listTopics()[topic])
        var total = 0
        for partition in 0..<partitions {
            let marks = try admin.watermarks(topic: topic, partition: Int32(partition))
            #expect(marks.low == 0, "the development broker dropped records of \(topic)")
            total += Int(marks.high)
        }
        return total
    }

    /// Every event on a topic, read with kcat to the end, in partition order.
    func events(_ topic: String) async throws -> [CloudEvent] {
        let output = try await runToCompletion(
            "kcat", ["-C", "-b", cluster.bootstrapServers, "-t", topic, "-e", "-q", "-f", "%s\n"],
            timeout: .seconds(120))
        #expect(output.status == 0, "kcat: \(output.stderr)")
        return try output.stdout.split(separator: "\n").map { try EventDecoder().decode(Array($0.utf8)) }
    }

    /// Starts a `mia-booker` process on this broker and the store at `database`.
    func bookerWorker(database: String, config: String?, httpPort: Int) throws -> ChildProcess {
        try ChildProcess(
            "mia-booker",
            (config.map { ["--config", $0] } ?? []) + [
                "--bootstrap", cluster.bootstrapServers, "--database", database, "--session-timeout-ms", "6000",
                "--log-format", "text", "--log-level", "warning", "--http-port", String(httpPort),
            ])
    }
}
