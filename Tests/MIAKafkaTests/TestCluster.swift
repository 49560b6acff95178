import Foundation
import Logging
import MIAKafka

/// A mock cluster for one test, with helpers to make clients against it.
struct TestCluster {
    let cluster: MockKafkaCluster
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    init(brokers: Int = 3) throws {
        cluster = try MockKafkaCluster(brokers: brokers, logger: logger)
    }

    var kafka: KafkaConfiguration { KafkaConfiguration(bootstrapServers: cluster.bootstrapServers) }

    /// A new topic with a unique name.
    func topic(_ prefix: String = "test", partitions: Int = 6) throws -> String {
        let name = "\(prefix).\(UUID().uuidString.prefix(8))"
        try cluster.createTopic(name, partitions: partitions)
        return name
    }

    func producer(_ configure: (inout KafkaProducerConfiguration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(kafka: kafka)
        configure(&configuration)
        return try KafkaProducer(configuration: configuration, logger: logger)
    }

    func consumer(group: String, topics: [String]) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupId: group, topics: topics)
        configuration.sessionTimeout = .seconds(6)
        return try KafkaConsumer(configuration: configuration, logger: logger)
    }
}

/// Polls until `count` records arrived or `deadline` passed.
func consume(_ consumer: KafkaConsumer, count: Int, within deadline: Duration = .seconds(30)) async throws
    -> [KafkaConsumerMessage]
{
    var received: [KafkaConsumerMessage] = []
    let clock = ContinuousClock()
    let end = clock.now + deadline
    while received.count < count, clock.now < end {
        let batch = try await consumer.poll(maxMessages: 1000, timeout: .milliseconds(200))
        try consumer.storeOffsets(batch)
        received += batch
    }
    return received
}
