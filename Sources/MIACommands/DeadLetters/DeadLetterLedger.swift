import Foundation
import MIAKafka
import MIAWorkerRuntime

/// The letters of one dead-letter topic and which of them were replayed, from the topic's records alone.
struct DeadLetterLedger: Sendable {
    /// Every dead letter, in partition and offset order.
    var letters: [DeadLetterRecord]
    /// Positions (`<partition>/<offset>`) of letters already replayed.
    var replayed: Set<String>

    init(_ messages: [KafkaConsumerMessage]) {
        letters = messages.compactMap(DeadLetterRecord.init).sorted {
            ($0.partition, $0.offset) < ($1.partition, $1.offset)
        }
        replayed = Set(messages.compactMap { $0.headers.string(named: DeadLetter.replayedMarkerHeader) })
    }

    /// The letters that match the filters.
    /// - Parameters:
    ///   - since: Only letters dead-lettered at or after this time.
    ///   - reason: Only letters whose class or reason contains this text (case-insensitive).
    func matching(since: Date?, reason: String?) -> [DeadLetterRecord] {
        letters.filter { letter in
            if let since, let date = letter.date, date < since { return false }
            if let reason, !reason.isEmpty {
                let text = "\(letter.errorClass) \(letter.reason)".lowercased()
                if !text.contains(reason.lowercased()) { return false }
            }
            return true
        }
    }

    /// The record that replays a letter on its original topic: original key, value and headers, and the
    /// ``DeadLetter/replayHeader`` so the worker handles it again.
    func replay(_ letter: DeadLetterRecord, deadLetterTopic: String) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: letter.originalTopic, key: letter.key, value: letter.value,
            headers: letter.originalHeaders + [
                KafkaHeader(name: DeadLetter.replayHeader, string: "\(deadLetterTopic)/\(letter.position)")
            ], isTombstone: letter.isTombstone)
    }

    /// The marker, written to the dead-letter topic after a replay, that says a letter was replayed.
    func marker(for letter: DeadLetterRecord, deadLetterTopic: String) -> KafkaProducerMessage {
        Self.marker(for: letter, deadLetterTopic: deadLetterTopic)
    }

    /// The marker, written to the dead-letter topic after a replay, that says a letter was replayed.
    static func marker(for letter: DeadLetterRecord, deadLetterTopic: String) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: deadLetterTopic, key: Array("replayed:\(letter.position)".utf8), value: [],
            headers: [
                KafkaHeader(name: DeadLetter.replayedMarkerHeader, string: letter.position),
                KafkaHeader(name: "mia-replayed-at", string: ISO8601DateFormatter().string(from: Date())),
            ])
    }
}
