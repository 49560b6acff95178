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

extension StoreTransaction {
    /// Queues a record for the outbox relay, in this transaction: it is published after the commit, in commit
    /// order, and marked sent after its delivery report. A second call with the same id does nothing.
    ///
    /// The runtime queues a handler's outputs this way; a worker's own services use it for effects outside
    /// ``WorkerHandler/handle(_:in:)``, such as a delivery service's dead letters.
    public func enqueueForRelay(id: String, _ record: KafkaProducerMessage) throws {
        try execute(
            """
            INSERT INTO mia_outbox (output_id, topic, record_key, value, headers, tombstone)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (output_id) DO NOTHING
            """,
            [
                .text(id), .text(record.topic), record.key.map { .blob($0) } ?? .null, .blob(record.value),
                .text(OutboxHeaders.encode(record.headers)), .int(record.isTombstone ? 1 : 0),
            ])
    }

    /// Queues many records at once, a few hundred per statement: what a service that publishes thousands of
    /// records (a statistics recomputation) needs on a networked database. Ids seen before are skipped.
    public func enqueueForRelay(_ records: [(id: String, record: KafkaProducerMessage)]) throws {
        for start in stride(from: 0, to: records.count, by: 200) {
            let chunk = records[start..<min(start + 200, records.count)]
            try execute(
                "INSERT INTO mia_outbox (output_id, topic, record_key, value, headers, tombstone) VALUES "
                    + Array(repeating: "(?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                    + " ON CONFLICT (output_id) DO NOTHING",
                chunk.flatMap { entry -> [SQLValue] in
                    [
                        .text(entry.id), .text(entry.record.topic), entry.record.key.map { .blob($0) } ?? .null,
                        .blob(entry.record.value), .text(OutboxHeaders.encode(entry.record.headers)),
                        .int(entry.record.isTombstone ? 1 : 0),
                    ]
                })
        }
    }
}
