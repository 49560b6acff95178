import Logging
import MIAKafka

/// Publishes outbox rows in commit order and marks them sent after their delivery reports.
///
/// Only the holder of the relay lease publishes, so with several replicas on one store every key's records still
/// reach Kafka in commit order. After a delivery failure the rows from the first failed one on are sent again,
/// later ones included, so that the newest record of a key is also the last one on the topic.
struct OutboxRelay: Sendable {
    let store: any WorkerStore
    let producer: KafkaProducer
    let lease: StoreLease
    let logger: Logger
    var batchSize = 2000

    struct Result: Sendable {
        var sent = 0
        var failed = 0
        /// Rows still waiting after this run.
        var pending = 0
    }

    /// Publishes every unsent row; stops at the first batch with a delivery failure (the rest is retried later).
    func relay() async throws -> Result {
        var result = Result()
        while true {
            let limit = batchSize
            let lease = self.lease
            let rows = try await store.write { transaction -> [SQLRow] in
                guard try transaction.acquire(lease) else { return [] }
                return try transaction.query(
                    "SELECT seq, topic, record_key, value, headers FROM mia_outbox WHERE sent = 0 ORDER BY seq LIMIT ?",
                    [.int(limit)])
            }
            guard !rows.isEmpty else { break }
            let records = rows.map { row in
                KafkaProducerMessage(
                    topic: row["topic"].text ?? "", key: row["record_key"].blob, value: row["value"].blob ?? [],
                    headers: OutboxHeaders.decode(row["headers"].text ?? "[]"))
            }
            let reports = await producer.send(records)
            var delivered: [Int64] = []
            for (row, report) in zip(rows, reports) {
                if case .failure(let error) = report {
                    result.failed = rows.count - delivered.count
                    logger.warning("outbox delivery failed; will retry", metadata: ["error": "\(error)"])
                    break
                }
                delivered.append(row["seq"].integer ?? -1)
            }
            if !delivered.isEmpty {
                try await store.write { [delivered] transaction in
                    // Bounded IN lists keep statements small on both SQLite and PostgreSQL.
                    for chunk in stride(from: 0, to: delivered.count, by: 500) {
                        let seqs = delivered[chunk..<min(chunk + 500, delivered.count)]
                        let marks = Array(repeating: "?", count: seqs.count).joined(separator: ",")
                        try transaction.execute(
                            "UPDATE mia_outbox SET sent = 1 WHERE seq IN (\(marks))", seqs.map { .integer($0) })
                    }
                    // Keep recently sent rows for inspection; drop older ones.
                    try transaction.execute(
                        "DELETE FROM mia_outbox WHERE sent = 1 AND seq < (SELECT MAX(seq) FROM mia_outbox) - 10000")
                }
            }
            result.sent += delivered.count
            if result.failed > 0 || rows.count < limit { break }
        }
        result.pending = try await pendingCount()
        return result
    }

    func pendingCount() async throws -> Int {
        try await store.read { transaction in
            Int(try transaction.queryOne("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0", [])?["n"].integer ?? 0)
        }
    }
}
