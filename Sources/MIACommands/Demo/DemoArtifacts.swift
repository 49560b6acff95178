import Foundation
import MIAContracts
import MIAKafka
import MIAStats

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

    /// Writes `statistics.csv` (one row per cell, as `mia stats export`) and `report.html` (as
    /// `mia stats report`) from the statistics cells on the topic.
    /// - Returns: The number of cells.
    static func writeStatistics(from records: [KafkaConsumerMessage], to directory: URL) throws -> Int {
        let cells = StatisticsCellSet(records: records.filter { $0.topic == TopicRegistry.statistics }.map(\.value))
        try StatisticsExport.csv(cells.cells).write(
            to: directory.appendingPathComponent("statistics.csv"), atomically: true, encoding: .utf8)
        try StatisticsReport.html(cells.cells).write(
            to: directory.appendingPathComponent("report.html"), atomically: true, encoding: .utf8)
        return cells.cells.count
    }
}
