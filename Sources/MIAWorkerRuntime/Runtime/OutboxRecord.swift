import Foundation
import MIAKafka

/// Encoding of Kafka headers in the outbox's `headers` column: a JSON array of `[name, base64 value or null]`.
enum OutboxHeaders {
    static func encode(_ headers: [KafkaHeader]) -> String {
        let pairs: [[String?]] = headers.map { [$0.name, $0.value.map { Data($0).base64EncodedString() }] }
        let data = (try? JSONEncoder().encode(pairs)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) -> [KafkaHeader] {
        guard let pairs = try? JSONDecoder().decode([[String?]].self, from: Data(text.utf8)) else { return [] }
        return pairs.compactMap { pair in
            guard pair.count == 2, let name = pair[0] else { return nil }
            return KafkaHeader(name: name, value: pair[1].flatMap { Data(base64Encoded: $0) }.map { Array($0) })
        }
    }
}

/// Who relays an outbox row: the writing process, until its lease runs out.
struct OutboxLease: Sendable, Hashable {
    /// This process's id.
    var owner: String
    /// How long the writer alone may relay its rows.
    var duration: Duration = .seconds(30)

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    var until: Int64 { Self.now() + Int64(duration.components.seconds * 1000) }
}

extension StoreTransaction {
    /// Queues a record for the outbox relay, in this transaction: it is published after the commit, by whichever
    /// replica relays next, and marked sent after its delivery report. A second call with the same id does nothing.
    ///
    /// For effects outside ``WorkerHandler/handle(_:in:)``, such as a delivery service's dead letters.
    public func enqueueForRelay(id: String, _ record: KafkaProducerMessage) throws {
        try enqueueOutbox(id: id, record, lease: OutboxLease(owner: "", duration: .zero))
    }

    /// Adds a record to the outbox, leased to `lease.owner`; a second insert of the same id does nothing.
    func enqueueOutbox(id: String, _ record: KafkaProducerMessage, lease: OutboxLease) throws {
        try execute(
            """
            INSERT INTO mia_outbox (output_id, topic, record_key, value, headers, owner, lease_until)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (output_id) DO NOTHING
            """,
            [
                .text(id), .text(record.topic), record.key.map { .blob($0) } ?? .null, .blob(record.value),
                .text(OutboxHeaders.encode(record.headers)), .text(lease.owner), .integer(lease.until),
            ])
    }
}
