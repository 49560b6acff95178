import Foundation
import MIAContracts
import MIAKafka

/// What became of one consumed record.
struct RecordResult: Sendable, Hashable {
    enum Outcome: String, Sendable, Hashable {
        /// Handled now: its state change and outputs are in the transaction.
        case processed
        /// Already handled earlier (same source and event id): no second effect.
        case duplicate
        /// Sent to the dead-letter topic (through the outbox).
        case deadLettered
    }

    var topic: String
    var outcome: Outcome
    var outputs: Int
    var deadLetter: DeadLetter?
}

/// Thrown out of a batch applied without savepoints when the handler refused one of its records: the
/// transaction is rolled back and the batch applied again with each record in a savepoint.
struct RecordIsolationNeeded: Error {}

/// Applies a batch of decoded records inside one store transaction: skip what the inbox has seen, run the handler,
/// and record inbox entries, outputs and dead letters.
///
/// A batch is first applied without savepoints. When the handler refuses a record, its partial changes must be
/// undone and nothing else: the whole transaction is then rolled back (``RecordIsolationNeeded``) and the batch
/// applied again with `isolated`, each record in a savepoint. Refusals are rare; two statements per record are not.
struct RecordProcessor<Handler: WorkerHandler>: Sendable {
    let handler: Handler
    let encoder = EventEncoder()
    /// Whether the inbox may still hold rows keyed by a bare event id, written before keys named the source:
    /// they are looked up too, until pruning has removed them.
    var legacyKeys = false

    /// The CloudEvents `source` of this worker's outputs.
    var source: String { "urn:mia:worker:\(handler.name)" }

    func process(
        _ records: [DecodedRecord], in transaction: any StoreTransaction, isolated: Bool = false
    ) throws -> [RecordResult] {
        var batch = BatchWrites()
        let keys = records.map(\.inboxKey)
        // One look at the inbox for the whole batch, rather than a round trip per record.
        batch.seen = try inboxEntries(
            of: legacyKeys ? keys + records.compactMap { (try? $0.event.get())?.id } : keys, in: transaction)
        var results: [RecordResult] = []
        results.reserveCapacity(records.count)
        for record in records {
            results.append(try process(record, into: &batch, in: transaction, isolated: isolated))
        }
        try batch.write(in: transaction)
        return results
    }

    /// The inbox rows and outbox records of a batch, written together at its end in multi-row statements: what
    /// spares a networked database two or three round trips per record. Inside the batch's transaction, so they
    /// commit with the handler's state changes or not at all.
    struct BatchWrites {
        /// The recorded outcome (and digest of a dead letter) of every input key of the batch seen before or
        /// handled in it.
        var seen: [String: (outcome: String, digest: String?)] = [:]
        /// New inbox rows by key, in order of first appearance.
        var inbox: [(key: String, topic: String, partition: Int32, offset: Int64, outcome: String, digest: String?)] =
            []
        var inboxIndex: [String: Int] = [:]
        /// Records for the relay, in order.
        var outbox: [(id: String, record: KafkaProducerMessage)] = []

        mutating func recordInbox(
            key: String, _ record: KafkaConsumerMessage, outcome: RecordResult.Outcome, digest: String? = nil
        ) {
            seen[key] = (outcome.rawValue, digest)
            let row = (key, record.topic, record.partition, record.offset, outcome.rawValue, digest)
            if let index = inboxIndex[key] {
                inbox[index] = row
            } else {
                inboxIndex[key] = inbox.count
                inbox.append(row)
            }
        }

        func write(in transaction: any StoreTransaction) throws {
            for start in stride(from: 0, to: inbox.count, by: 200) {
                let rows = inbox[start..<min(start + 200, inbox.count)]
                try transaction.execute(
                    "INSERT INTO mia_inbox (input_key, topic, partition, \"offset\", outcome, digest, handled_at) VALUES "
                        + Array(
                            repeating: "(?, ?, ?, ?, ?, ?, \(transaction.dialect.nowMilliseconds))", count: rows.count
                        ).joined(separator: ", "),
                    rows.flatMap { row -> [SQLValue] in
                        [
                            .text(row.key), .text(row.topic), .int(Int(row.partition)), .integer(row.offset),
                            .text(row.outcome), .text(row.digest),
                        ]
                    })
            }
            try transaction.enqueueForRelay(outbox)
        }
    }

    /// The recorded outcomes and digests of those of `keys` that the inbox holds.
    private func inboxEntries(
        of keys: [String], in transaction: any StoreTransaction
    ) throws -> [String: (outcome: String, digest: String?)] {
        var outcomes: [String: (outcome: String, digest: String?)] = [:]
        let unique = Array(Set(keys))
        for start in stride(from: 0, to: unique.count, by: 500) {
            let chunk = unique[start..<min(start + 500, unique.count)]
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try transaction.query(
                "SELECT input_key, outcome, digest FROM mia_inbox WHERE input_key IN (\(marks))",
                chunk.map { .text($0) })
            {
                if let key = row["input_key"].text { outcomes[key] = (row["outcome"].text ?? "", row["digest"].text) }
            }
        }
        return outcomes
    }

    private func process(
        _ decoded: DecodedRecord, into batch: inout BatchWrites, in transaction: any StoreTransaction, isolated: Bool
    ) throws -> RecordResult {
        let (record, key) = (decoded.message, decoded.inboxKey)
        let event: CloudEvent
        switch decoded.event {
        case .success(let value):
            event = value
        case .failure(let error):
            return deadLetter(
                record, key: key, DeadLetter(errorClass: error.errorClass.description, reason: error.description),
                into: &batch)
        }
        var knownKey = key
        if batch.seen[key] == nil, legacyKeys, batch.seen[event.id] != nil { knownKey = event.id }
        if let known = batch.seen[knownKey] {
            // A dead-lettered input is handled again when an operator replays its dead letter (`mia dlq replay`,
            // after a fix) or when a corrected record comes under its id (other bytes); any other record with a
            // known id is a duplicate.
            let replayed = record.headers.contains { $0.name == DeadLetter.replayHeader }
            let corrected = known.digest.map { $0 != DecodedRecord.digest(record.value) } ?? false
            guard known.outcome == RecordResult.Outcome.deadLettered.rawValue, replayed || corrected else {
                return RecordResult(topic: record.topic, outcome: .duplicate, outputs: 0)
            }
            try transaction.execute("DELETE FROM mia_inbox WHERE input_key = ?", [.text(knownKey)])
            batch.seen[knownKey] = nil
        }
        guard event.topic == record.topic else {
            return deadLetter(
                record, key: key,
                DeadLetter(
                    errorClass: "validation",
                    reason: "event type \(event.type) belongs on \(event.topic), not on \(record.topic)"),
                into: &batch)
        }
        let input = WorkerInput(
            event: event, topic: record.topic, partition: record.partition, offset: record.offset,
            timestampMilliseconds: record.timestampMilliseconds)
        let apply = {
            try handler.handle(input, in: transaction).map { output in
                let id = Self.outputId(input: event.id, discriminator: output.discriminator)
                let outputEvent = CloudEvent(
                    id: id, source: source, time: output.time ?? event.time, payload: output.payload)
                let value = try encoder.bytes(of: outputEvent)
                return (
                    id: id,
                    record: KafkaProducerMessage(
                        topic: outputEvent.topic, key: Array(outputEvent.subject.utf8), value: value,
                        headers: OutboxHeaders.standard)
                )
            }
        }
        do {
            let outputs = isolated ? try transaction.savepoint(apply) : try apply()
            batch.outbox += outputs
            batch.recordInbox(key: key, record, outcome: .processed)
            return RecordResult(topic: record.topic, outcome: .processed, outputs: outputs.count)
        } catch let error as StoreError where error.isTransient {
            throw error
        } catch let retry as RetryLater {
            throw retry
        } catch  where !isolated {
            throw RecordIsolationNeeded()
        } catch let rejection as HandlerRejection {
            return deadLetter(
                record, key: key, DeadLetter(errorClass: rejection.errorClass, reason: rejection.reason),
                into: &batch)
        } catch {
            return deadLetter(record, key: key, DeadLetter(errorClass: "handler", reason: "\(error)"), into: &batch)
        }
    }

    private func deadLetter(
        _ record: KafkaConsumerMessage, key: String, _ deadLetter: DeadLetter, into batch: inout BatchWrites
    ) -> RecordResult {
        if batch.seen[key] != nil {
            return RecordResult(topic: record.topic, outcome: .duplicate, outputs: 0)
        }
        batch.outbox.append(
            (DeadLetter.outputId(for: record), deadLetter.record(for: record, worker: handler.name)))
        batch.recordInbox(key: key, record, outcome: .deadLettered, digest: DecodedRecord.digest(record.value))
        return RecordResult(topic: record.topic, outcome: .deadLettered, outputs: 0, deadLetter: deadLetter)
    }

    /// The id of an output: UUIDv5 of the input event id and the discriminator.
    static func outputId(input: String, discriminator: String) -> String {
        UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "\(input)/\(discriminator)").uuidString.lowercased()
    }
}
