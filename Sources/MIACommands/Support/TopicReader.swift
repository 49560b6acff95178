import Foundation
import Logging
import MIAKafka

/// Reads topics from the beginning to their current end, as a throwaway consumer group.
///
/// The end is each partition's high watermark when the read starts, so records produced later are not waited
/// for. Used by commands that summarise or export what a topic holds.
struct TopicReader {
    /// Where to connect.
    var kafka: KafkaConfiguration
    /// How long the whole read may take before it fails.
    var timeout: Duration = .seconds(120)

    /// Every record of the topics, in partition and offset order per topic.
    /// - Throws: ``KafkaError`` from the client, or a timeout when the end is not reached in time.
    func readAll(_ topics: [String]) async throws -> [KafkaConsumerMessage] {
        let logger = CommandLogging.logger("mia.topic-reader")
        var configuration = KafkaConsumerConfiguration(
            kafka: kafka, groupId: "mia-reader-\(UUID().uuidString.lowercased())", topics: topics)
        configuration.sessionTimeout = .seconds(6)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        let partitionCounts = try admin.listTopics()
        // The offset each partition must reach; partitions without records are already there.
        var remaining: [TopicPartition: Int64] = [:]
        for topic in topics {
            guard let count = partitionCounts[topic] else {
                await consumer.close()
                throw KafkaError(code: .unknownTopic, message: "no topic \(topic) on the cluster")
            }
            for partition in 0..<Int32(count) {
                let marks = try admin.watermarks(topic: topic, partition: partition)
                if marks.high > marks.low { remaining[TopicPartition(topic: topic, partition: partition)] = marks.high }
            }
        }
        var records: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + timeout
        while !remaining.isEmpty {
            guard ContinuousClock.now < deadline else {
                await consumer.close()
                throw KafkaError(
                    code: .timeout,
                    message: "reading \(topics.joined(separator: ", ")) did not reach the end within \(timeout)")
            }
            for record in try await consumer.poll(maxMessages: 5000, timeout: .milliseconds(200)) {
                guard let end = remaining[record.topicPartition], record.offset < end else { continue }
                records.append(record)
                if record.offset + 1 >= end { remaining[record.topicPartition] = nil }
            }
        }
        await consumer.close()
        return records.sorted { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }
    }
}
