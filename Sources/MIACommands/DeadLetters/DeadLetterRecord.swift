import Foundation
import MIAKafka
import MIAWorkerRuntime

/// A dead letter as read from a worker's dead-letter topic: the original record and why it was set aside.
struct DeadLetterRecord: Sendable, Hashable {
    /// Where the letter is in the dead-letter topic; `show` and the replay markers name it `<partition>/<offset>`.
    var partition: Int32
    var offset: Int64
    /// When the worker dead-lettered it (milliseconds since 1970), if known.
    var timestampMilliseconds: Int64?
    var errorClass: String
    var reason: String
    var originalTopic: String
    var originalPartition: String
    var originalOffset: String
    var key: [UInt8]?
    var value: [UInt8]
    /// Whether the original value was null (a tombstone).
    var isTombstone: Bool
    /// The original record's own headers, without the dead-letter ones.
    var originalHeaders: [KafkaHeader]

    /// `<partition>/<offset>` in the dead-letter topic.
    var position: String { "\(partition)/\(offset)" }

    /// Parses a record of a dead-letter topic; nil for replay markers and records that are not dead letters.
    init?(_ message: KafkaConsumerMessage) {
        let headers = message.headers
        guard headers.string(named: DeadLetter.replayedMarkerHeader) == nil,
            let topic = headers.string(named: "mia-original-topic")
        else { return nil }
        partition = message.partition
        offset = message.offset
        timestampMilliseconds = message.timestampMilliseconds
        errorClass = headers.string(named: "mia-error-class") ?? "unknown"
        reason = headers.string(named: "mia-error-reason") ?? ""
        originalTopic = topic
        originalPartition = headers.string(named: "mia-original-partition") ?? "?"
        originalOffset = headers.string(named: "mia-original-offset") ?? "?"
        key = message.key
        value = message.value
        isTombstone = message.isTombstone
        let added = Set(DeadLetter.headerNames + [DeadLetter.replayHeader, DeadLetter.attemptsHeader])
        originalHeaders = headers.filter { !added.contains($0.name) }
    }

    /// When it was dead-lettered, if known.
    var date: Date? {
        timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
