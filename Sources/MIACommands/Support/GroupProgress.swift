import Logging
import MIAKafka

/// How far a consumer group has come through its input topics, from the committed offsets and the watermarks.
///
/// Read from outside the group (a consumer with the group's id that subscribes to nothing), so it works for
/// any worker, however many replicas it runs.
struct GroupProgress: Sendable, Hashable {
    /// Records the group has committed, summed over the input partitions (from each low watermark).
    var committed: Int64
    /// Records the input partitions hold (high minus low watermark, summed).
    var available: Int64

    /// The records not yet committed.
    var lag: Int64 { available - committed }

    /// Reads the progress of a group.
    /// - Parameters:
    ///   - group: The consumer group id (a worker's name).
    ///   - topics: Its input topics.
    ///   - kafka: Where to connect.
    static func read(group: String, topics: [String], kafka: KafkaConfiguration) throws(KafkaError) -> GroupProgress {
        let logger = CommandLogging.logger("mia.group-progress")
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(kafka: kafka, groupId: group, topics: []), logger: logger)
        let partitionCounts = try KafkaAdmin(configuration: kafka, logger: logger).listTopics()
        var partitions: [TopicPartition] = []
        for topic in topics {
            for partition in 0..<Int32(partitionCounts[topic] ?? 0) {
                partitions.append(TopicPartition(topic: topic, partition: partition))
            }
        }
        var progress = GroupProgress(committed: 0, available: 0)
        for entry in try consumer.committed(partitions) {
            let marks = try consumer.watermarks(
                topic: entry.topicPartition.topic, partition: entry.topicPartition.partition)
            progress.available += marks.high - marks.low
            // -1001: nothing committed yet.
            if entry.offset >= 0 { progress.committed += max(0, min(entry.offset, marks.high) - marks.low) }
        }
        return progress
    }
}
