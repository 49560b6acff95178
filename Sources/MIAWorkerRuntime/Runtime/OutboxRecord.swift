import Foundation
import MIAContracts
import MIAKafka

/// Encoding of Kafka headers in the outbox's `headers` column: a JSON array of `[name, base64 value or null]`.
///
/// Written and read without `JSONEncoder`/`JSONDecoder`, once per row on the relay's hot path; the headers every
/// output carries (``standard``) are a constant.
enum OutboxHeaders {
    /// The headers of every output event.
    static let standard = [KafkaHeader(name: "content-type", string: "application/cloudevents+json")]
    private static let standardText = serialize(standard)

    static func encode(_ headers: [KafkaHeader]) -> String {
        headers == standard ? standardText : serialize(headers)
    }

    static func decode(_ text: String) -> [KafkaHeader] {
        if text == standardText { return standard }
        guard case .array(let pairs)? = try? JSONValueParser.parse(Array(text.utf8)) else { return [] }
        return pairs.compactMap { pair in
            guard case .array(let parts) = pair, parts.count == 2, case .string(let name) = parts[0] else { return nil }
            guard case .string(let base64) = parts[1] else { return KafkaHeader(name: name, value: nil) }
            return KafkaHeader(name: name, value: Data(base64Encoded: base64).map { Array($0) })
        }
    }

    private static func serialize(_ headers: [KafkaHeader]) -> String {
        let pairs = JSONValue.array(
            headers.map { header in
                .array([.string(header.name), header.value.map { .string(Data($0).base64EncodedString()) } ?? .null])
            })
        return String(decoding: pairs.serialized, as: UTF8.self)
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
