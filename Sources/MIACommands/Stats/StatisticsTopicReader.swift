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
        for partition in 0..<Int32(partitions) {
            if try admin.watermarks(topic: topic, partition: partition).low > 0 {
                StandardError.write("warning: partition \(partition) of \(topic) lost its oldest records\n")
            }
        }
        let records: [KafkaConsumerMessage]
        do {
            records = try await TopicReader(kafka: kafka, timeout: timeout).readAll([topic])
        } catch let error as KafkaError where error.code == .timeout {
            throw StatsCommandError("could not read \(topic) to its end within \(timeout)")
        }
        // One key is always on one partition, and the records come in partition and offset order: a key's latest
        // record is its last.
        let ordered = records.map(\.value)
        return StatisticsCellSet(records: ordered)
    }
}

/// A failure of a `mia stats` command, with a message for the user.
struct StatsCommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
