import Foundation
import MIAContracts
import MIAKafka
import MIAStats

/// Reads `mia.statistics.v1` from the start to its current end: every partition up to the high watermark it had
/// when reading began.
struct StatisticsTopicReader {
    let kafka: KafkaConfiguration
    var timeout: Duration = .seconds(60)

    /// The current cells.
    /// - Throws: When the topic is missing, or the end is not reached within the timeout.
    func read() async throws -> StatisticsCellSet {
        let logger = CommandLogging.logger("mia.stats")
        let topic = TopicRegistry.statistics
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        guard let partitions = try admin.listTopics()[topic] else {
            throw StatsCommandError("no topic \(topic): is mia-stats running, and the topics created?")
        }
        var ends: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            let marks = try admin.watermarks(topic: topic, partition: partition)
            if marks.low > 0 {
                StandardError.write("warning: partition \(partition) of \(topic) lost its oldest records\n")
            }
            if marks.high > marks.low { ends[partition] = marks.high }
        }
        var records: [Int32: [KafkaConsumerMessage]] = [:]
        if !ends.isEmpty {
            var configuration = KafkaConsumerConfiguration(
                kafka: kafka, groupId: "mia-stats-export-\(UUID().uuidString.lowercased())", topics: [topic])
            configuration.sessionTimeout = .seconds(6)
            let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
            defer { Task { await consumer.close() } }
            let deadline = ContinuousClock.now + timeout
            var positions: [Int32: Int64] = [:]
            while ends.contains(where: { positions[$0.key, default: -1] < $0.value - 1 }) {
                guard ContinuousClock.now < deadline else {
                    throw StatsCommandError("could not read \(topic) to its end within \(timeout)")
                }
                for record in try await consumer.poll(maxMessages: 5000, timeout: .milliseconds(200))
                where record.offset < ends[record.partition, default: 0] {
                    records[record.partition, default: []].append(record)
                    positions[record.partition] = max(positions[record.partition, default: -1], record.offset)
                }
            }
            await consumer.close()
        }
        // One key is always on one partition: its latest record is its last by offset.
        let ordered = records.keys.sorted().flatMap { partition in
            records[partition]!.sorted { $0.offset < $1.offset }.map(\.value)
        }
        return StatisticsCellSet(records: ordered)
    }
}

/// A failure of a `mia stats` command, with a message for the user.
struct StatsCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
