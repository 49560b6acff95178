import Logging
import MIAContracts
import MIAKafka

/// Publishes outbox rows in commit order and marks them sent after their delivery reports.
///
/// Only the holder of the relay lease publishes, so with several replicas on one store every key's records still
/// reach Kafka in commit order. After a delivery failure the rows from the first failed one on are sent again,
/// later ones included, so that the newest record of a key is also the last one on the topic.
///
/// A pass stays well inside the lease: it publishes only within a third of the lease's duration after taking
/// it, and the producer's delivery timeout is a third too; the rows are marked sent only in a transaction that
/// finds the lease still held under the same fencing token. A holder frozen mid-pass may still, on resuming,
/// send records librdkafka had queued, and without producer fencing at the broker those can land after the
/// successor's newer ones. So a pass that finds itself fenced, once its delivery reports are in (nothing of it
/// reaches the broker after that), marks the newest row of every compacted key it sent unsent again: the
/// lease's holder sends it once more, after the stale records, and the key ends on its newest state.
///
/// A row the broker refuses for good (too large, invalid, for a topic that does not exist) does not hold up the
/// rows behind it: it stays in the store, marked refused (`sent = 2`), and a small dead letter naming it is
/// queued in its place.
struct OutboxRelay: Sendable {
    let store: any WorkerStore
    let producer: KafkaProducer
    let lease: StoreLease
    /// The worker's name: refusal letters go to its dead-letter topic.
    let worker: String
    let logger: Logger
    var batchSize = 2000

    /// The `sent` value of a row the broker refused for good.
    static let refused = 2
    /// The header of a refusal letter naming the outbox row it stands for.
    static let refusedOutputHeader = "mia-refused-output-id"

    struct Result: Sendable {
        var sent = 0
        var failed = 0
        /// Rows the broker refused for good in this run.
        var refused = 0
        /// Rows still waiting after this run.
        var pending = 0
        /// Whether this process held the relay lease in this run (another replica relays otherwise).
        var held = false
    }

    /// The most time a pass may spend between taking the lease and handing its records to the producer.
    var publishWindow: Duration { lease.duration / 3 }

    /// Publishes every unsent row; stops at the first batch with a delivery failure (the rest is retried later).
    func relay() async throws -> Result {
        var result = Result()
        while true {
            let limit = batchSize
            let lease = self.lease
            let pass = try await store.write {
                transaction -> (token: Int64, taken: ContinuousClock.Instant, rows: [SQLRow])? in
                // Before the lease is taken: the window below is then measured from no later than its start.
                let taken = ContinuousClock.now
                guard let token = try transaction.take(lease) else { return nil }
                let rows = try transaction.query(
                    """
                    SELECT seq, output_id, topic, record_key, value, headers, tombstone FROM mia_outbox
                    WHERE sent = 0 ORDER BY seq LIMIT ?
                    """,
                    [.int(limit)])
                return (token, taken, rows)
            }
            guard let pass else { break }
            result.held = true
            guard !pass.rows.isEmpty else { break }
            // A process frozen (or starved) since it took the lease must not publish now: by the time its
            // records reached the broker, another replica might hold the lease and have published newer ones.
            guard ContinuousClock.now - pass.taken < publishWindow else {
                logger.warning("an outbox pass was too slow to start publishing inside its lease; trying later")
                result.failed = pass.rows.count
                break
            }
            let records = pass.rows.map { row in
                KafkaProducerMessage(
                    topic: row["topic"].text ?? "", key: row["record_key"].blob, value: row["value"].blob ?? [],
                    headers: OutboxHeaders.decode(row["headers"].text ?? "[]"),
                    isTombstone: row["tombstone"].integer == 1)
            }
            let reports = await producer.send(records)
            var delivered: [Int64] = []
            var refused: [(row: SQLRow, error: KafkaError)] = []
            for (row, report) in zip(pass.rows, reports) {
                if case .failure(let error) = report {
                    if error.refusesRecord {
                        refused.append((row, error))
                        continue
                    }
                    result.failed = pass.rows.count - delivered.count - refused.count
                    logger.warning("outbox delivery failed; will retry", metadata: ["error": "\(error)"])
                    break
                }
                delivered.append(row["seq"].integer ?? -1)
            }
            let letters = refused.compactMap { refusalLetter(for: $0.row, error: $0.error) }
            for (row, error) in refused {
                logger.error(
                    "the broker refused an outbox row for good; it stays in the store, a dead letter names it",
                    metadata: [
                        "output_id": "\(row["output_id"].text ?? "")", "topic": "\(row["topic"].text ?? "")",
                        "bytes": "\(row["value"].blob?.count ?? 0)", "error": "\(error)",
                    ])
            }
            let refusedSeqs = refused.map { $0.row["seq"].integer ?? -1 }
            let sentKeys = Self.compactedKeys(of: pass.rows)
            let marked = try await store.write { [delivered, token = pass.token] transaction -> Bool in
                // The fence: a holder whose lease ran out or passed on in the meantime marks nothing.
                guard try transaction.holds(lease, token: token) else {
                    try transaction.resendNewest(of: sentKeys)
                    return false
                }
                guard !delivered.isEmpty || !refusedSeqs.isEmpty else { return true }
                try transaction.mark(delivered, sent: 1)
                try transaction.mark(refusedSeqs, sent: Self.refused)
                try transaction.enqueueForRelay(letters)
                // Keep recently sent rows for inspection; drop older ones. Refused rows stay, and so does the
                // newest row of each compacted key, until a newer one of the key is sent.
                try transaction.dropSuperseded(of: sentKeys)
                try transaction.execute(
                    """
                    DELETE FROM mia_outbox WHERE sent = 1 AND seq < (SELECT MAX(seq) FROM mia_outbox) - 10000
                    AND topic NOT IN (\(Self.compactedTopicList))
                    """)
                return true
            }
            guard marked else {
                logger.warning(
                    "the relay lease passed to another replica during the pass; its marks are refused, and the newest record of each compacted key it sent is sent again",
                    metadata: ["keys": "\(sentKeys.count)"])
                result.failed = pass.rows.count
                break
            }
            result.sent += delivered.count
            result.refused += refused.count
            if result.failed > 0 || pass.rows.count < limit || delivered.isEmpty && refused.isEmpty { break }
        }
        result.pending = try await pendingCount()
        return result
    }

    /// The topics whose consumers keep the last record of each key (compacted in Kafka).
    static let compactedTopics = Set(TopicRegistry.default.topics.filter(\.isCompacted).map(\.name))
    /// ``compactedTopics`` as an SQL list of literals (topic names are plain ASCII without quotes).
    static let compactedTopicList = compactedTopics.sorted().map { "'\($0)'" }.joined(separator: ", ")

    /// The distinct compacted-topic keys among `rows`.
    static func compactedKeys(of rows: [SQLRow]) -> [OutboxKey] {
        var keys = Set<OutboxKey>()
        for row in rows {
            guard let topic = row["topic"].text, compactedTopics.contains(topic), let key = row["record_key"].blob
            else { continue }
            keys.insert(OutboxKey(topic: topic, key: key))
        }
        return Array(keys)
    }

    /// A small dead letter in place of a row the broker refused, naming the row, or nil for a row that was
    /// itself such a letter (it stays refused in the store, and nothing loops).
    private func refusalLetter(for row: SQLRow, error: KafkaError) -> (id: String, record: KafkaProducerMessage)? {
        let outputId = row["output_id"].text ?? ""
        let headers = OutboxHeaders.decode(row["headers"].text ?? "[]")
        guard !headers.contains(where: { $0.name == Self.refusedOutputHeader }) else { return nil }
        let record = KafkaProducerMessage(
            topic: "mia.dlq.\(worker)", key: row["record_key"].blob, value: [],
            headers: [
                KafkaHeader(name: "mia-error-class", string: "unpublishable"),
                KafkaHeader(name: "mia-error-reason", string: String("\(error)".prefix(1000))),
                KafkaHeader(name: Self.refusedOutputHeader, string: outputId),
                KafkaHeader(name: "mia-refused-topic", string: row["topic"].text ?? ""),
                KafkaHeader(name: "mia-refused-bytes", string: String(row["value"].blob?.count ?? 0)),
                KafkaHeader(name: "mia-worker", string: worker),
            ])
        return ("refused:\(outputId)", record)
    }

    func pendingCount() async throws -> Int {
        try await store.read { transaction in
            Int(try transaction.queryOne("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0", [])?["n"].integer ?? 0)
        }
    }
}

/// A record key on a topic.
struct OutboxKey: Hashable, Sendable {
    var topic: String
    var key: [UInt8]
}

extension StoreTransaction {
    /// Marks the newest outbox row of each of `keys` unsent, when it was sent: the relay sends it again, after
    /// whatever reached the topic before. Returns how many rows it marked.
    @discardableResult
    fileprivate func resendNewest(of keys: [OutboxKey]) throws -> Int {
        var marked = 0
        for key in keys {
            marked += try execute(
                """
                UPDATE mia_outbox SET sent = 0 WHERE sent = 1 AND seq = (
                    SELECT MAX(seq) FROM mia_outbox
                    WHERE topic IN (\(OutboxRelay.compactedTopicList)) AND topic = ? AND record_key = ?)
                """,
                [.text(key.topic), .blob(key.key)])
        }
        return marked
    }

    /// Deletes the sent rows of `keys` that a newer row of the same key supersedes: the outbox keeps the newest
    /// row of each compacted key (a fenced pass may have to send it again), and no older one.
    fileprivate func dropSuperseded(of keys: [OutboxKey]) throws {
        for (topic, ofTopic) in Dictionary(grouping: keys, by: \.topic) {
            for start in stride(from: 0, to: ofTopic.count, by: 500) {
                let chunk = ofTopic[start..<min(start + 500, ofTopic.count)]
                try execute(
                    """
                    DELETE FROM mia_outbox WHERE sent = 1 AND topic IN (\(OutboxRelay.compactedTopicList)) AND topic = ?
                    AND record_key IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ",")))
                    AND seq < (
                        SELECT MAX(newer.seq) FROM mia_outbox newer
                        WHERE newer.topic IN (\(OutboxRelay.compactedTopicList))
                        AND newer.topic = mia_outbox.topic AND newer.record_key = mia_outbox.record_key)
                    """,
                    [.text(topic)] + chunk.map { .blob($0.key) })
            }
        }
    }

    /// Sets `sent` of the outbox rows `seqs`, in bounded IN lists that keep statements small on both stores.
    fileprivate func mark(_ seqs: [Int64], sent: Int) throws {
        for chunk in stride(from: 0, to: seqs.count, by: 500) {
            let part = seqs[chunk..<min(chunk + 500, seqs.count)]
            let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
            try execute(
                "UPDATE mia_outbox SET sent = ? WHERE seq IN (\(marks))", [.int(sent)] + part.map { .integer($0) })
        }
    }
}
