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
    /// For a notification the notifier could not deliver: the delivery's id (the notification's, or its digest's),
    /// by which a replay redelivers it through its channel instead of republishing the record.
    var deliveryId: String?
    /// For an undelivered notification: its channel and agency, `webhook AF`.
    var deliveryRoute: String?

    /// The headers the notifier adds to the dead letter of a delivery.
    static let deliveryHeaders = [
        "mia-delivery-id", "mia-delivery-channel", "mia-delivery-agency", "mia-delivery-attempts",
        "mia-notification-id",
    ]

    /// `<partition>/<offset>` in the dead-letter topic.
    var position: String { "\(partition)/\(offset)" }

    /// The original record's position, `mia.meeting.v1/2/118`: for an undelivered notification, the input record
    /// it was made from.
    var originalPosition: String {
        "\(originalTopic)/\(originalPartition.isEmpty ? "?" : originalPartition)/\(originalOffset.isEmpty ? "?" : originalOffset)"
    }

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
        deliveryId = headers.string(named: "mia-delivery-id")
        deliveryRoute = deliveryId.map { _ in
            [headers.string(named: "mia-delivery-channel"), headers.string(named: "mia-delivery-agency")]
                .compactMap { $0 }.joined(separator: " ")
        }
        let added = Set(
            DeadLetter.headerNames + [DeadLetter.replayHeader, DeadLetter.attemptsHeader] + Self.deliveryHeaders)
        originalHeaders = headers.filter { !added.contains($0.name) }
    }

    /// When it was dead-lettered, if known.
    var date: Date? {
        timestampMilliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
