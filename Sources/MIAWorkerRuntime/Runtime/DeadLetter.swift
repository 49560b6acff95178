import Foundation
import MIAKafka

/// Builds the dead-letter record of an input: original key, value and headers untouched, the reason added in
/// `mia-*` headers.
public struct DeadLetter: Sendable, Hashable {
    /// The header a replayed dead letter carries on its original topic: `<dlq topic>/<partition>/<offset>`.
    /// A worker handles such a record again even when its event id was dead-lettered before.
    public static let replayHeader = "mia-replay-of"
    /// The header of a marker record in a dead-letter topic saying that the letter at `<partition>/<offset>`
    /// was replayed; `mia dlq replay` never replays a letter twice.
    public static let replayedMarkerHeader = "mia-replayed"

    /// `decode`, `validation` or `handler`.
    var errorClass: String
    var reason: String
    /// How many times the record was tried before it was given up, for a record that used up `--max-attempts`
    /// (header `mia-attempts`, as Kafka Connect's and Karafka's dead letters carry it); nil for one refused at once.
    var attempts: Int? = nil

    /// The header with the number of attempts, on the dead letter of a record that used up `--max-attempts`.
    public static let attemptsHeader = "mia-attempts"

    /// The headers added to every dead letter, in this order (``attemptsHeader`` follows where it applies).
    public static let headerNames = [
        "mia-error-class", "mia-error-reason", "mia-original-topic", "mia-original-partition",
        "mia-original-offset", "mia-original-timestamp", "mia-worker",
    ]

    func record(for message: KafkaConsumerMessage, worker: String) -> KafkaProducerMessage {
        let added = [
            KafkaHeader(name: "mia-error-class", string: errorClass),
            KafkaHeader(name: "mia-error-reason", string: String(reason.prefix(1000))),
            KafkaHeader(name: "mia-original-topic", string: message.topic),
            KafkaHeader(name: "mia-original-partition", string: String(message.partition)),
            KafkaHeader(name: "mia-original-offset", string: String(message.offset)),
            KafkaHeader(name: "mia-original-timestamp", string: message.timestampMilliseconds.map(String.init) ?? ""),
            KafkaHeader(name: "mia-worker", string: worker),
        ]
        let tried = attempts.map { [KafkaHeader(name: Self.attemptsHeader, string: String($0))] } ?? []
        return KafkaProducerMessage(
            topic: "mia.dlq.\(worker)", key: message.key, value: message.value,
            headers: message.headers + added + tried, isTombstone: message.isTombstone)
    }

    /// The outbox id of the dead letter of a record: its position, which is unique per input.
    static func outputId(for message: KafkaConsumerMessage) -> String {
        "dlq:\(message.topic)/\(message.partition)/\(message.offset)"
    }
}
