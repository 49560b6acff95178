import Foundation
import MIAContracts
import MIAKafka

/// What became of one consumed record.
struct RecordResult: Sendable, Hashable {
    enum Outcome: String, Sendable, Hashable {
        /// Handled now: its state change and outputs are in the transaction.
        case processed
        /// Already handled earlier (same event id): no second effect.
        case duplicate
        /// Sent to the dead-letter topic (through the outbox).
        case deadLettered
    }

    var topic: String
    var outcome: Outcome
    var outputs: Int
    var deadLetter: DeadLetter?
}

/// Applies a batch of consumed records inside one store transaction: decode, validate, skip what the inbox has
/// seen, run the handler in a savepoint, and record inbox entries, outputs and dead letters.
struct RecordProcessor<Handler: WorkerHandler>: Sendable {
    let handler: Handler
    let decoder: EventDecoder
    let encoder = EventEncoder()

    /// The CloudEvents `source` of this worker's outputs.
    var source: String { "urn:mia:worker:\(handler.name)" }

    func process(_ records: [KafkaConsumerMessage], in transaction: any StoreTransaction) throws -> [RecordResult] {
        try records.map { try process($0, in: transaction) }
    }

    private func process(_ record: KafkaConsumerMessage, in transaction: any StoreTransaction) throws -> RecordResult {
        let event: CloudEvent
        do {
            event = try decoder.decode(record.value)
        } catch {
            return try deadLetter(
                record, key: "raw:\(record.topic)/\(record.partition)/\(record.offset)",
                DeadLetter(errorClass: error.errorClass.description, reason: error.description), in: transaction)
        }
        if let seen = try transaction.queryOne(
            "SELECT outcome FROM mia_inbox WHERE input_key = ?", [.text(event.id)])
        {
            // A dead letter replayed by an operator (`mia dlq replay`, after a fix) is handled again; any
            // other record with a known event id is a duplicate.
            let replayed = record.headers.contains { $0.name == DeadLetter.replayHeader }
            guard replayed, seen["outcome"].text == RecordResult.Outcome.deadLettered.rawValue else {
                return RecordResult(topic: record.topic, outcome: .duplicate, outputs: 0)
            }
            try transaction.execute("DELETE FROM mia_inbox WHERE input_key = ?", [.text(event.id)])
        }
        guard event.topic == record.topic else {
            return try deadLetter(
                record, key: event.id,
                DeadLetter(
                    errorClass: "validation",
                    reason: "event type \(event.type) belongs on \(event.topic), not on \(record.topic)"),
                in: transaction)
        }
        let input = WorkerInput(
            event: event, topic: record.topic, partition: record.partition, offset: record.offset,
            timestampMilliseconds: record.timestampMilliseconds)
        do {
            let outputs = try transaction.savepoint {
                let outputs = try handler.handle(input, in: transaction)
                for output in outputs {
                    let id = Self.outputId(input: event.id, discriminator: output.discriminator)
                    let outputEvent = CloudEvent(
                        id: id, source: source, time: output.time ?? event.time, payload: output.payload)
                    let value = try encoder.encode(outputEvent)
                    try transaction.enqueueForRelay(
                        id: id,
                        KafkaProducerMessage(
                            topic: outputEvent.topic, key: Array(outputEvent.subject.utf8), value: Array(value),
                            headers: [KafkaHeader(name: "content-type", string: "application/cloudevents+json")]))
                }
                return outputs.count
            }
            try recordInbox(key: event.id, record, outcome: .processed, in: transaction)
            return RecordResult(topic: record.topic, outcome: .processed, outputs: outputs)
        } catch let error as StoreError where error.isTransient {
            throw error
        } catch let retry as RetryLater {
            throw retry
        } catch let rejection as HandlerRejection {
            return try deadLetter(
                record, key: event.id, DeadLetter(errorClass: rejection.errorClass, reason: rejection.reason),
                in: transaction)
        } catch {
            return try deadLetter(
                record, key: event.id, DeadLetter(errorClass: "handler", reason: "\(error)"), in: transaction)
        }
    }

    private func deadLetter(
        _ record: KafkaConsumerMessage, key: String, _ deadLetter: DeadLetter, in transaction: any StoreTransaction
    ) throws -> RecordResult {
        if try transaction.queryOne("SELECT 1 AS seen FROM mia_inbox WHERE input_key = ?", [.text(key)]) != nil {
            return RecordResult(topic: record.topic, outcome: .duplicate, outputs: 0)
        }
        try transaction.enqueueForRelay(
            id: DeadLetter.outputId(for: record), deadLetter.record(for: record, worker: handler.name))
        try recordInbox(key: key, record, outcome: .deadLettered, in: transaction)
        return RecordResult(topic: record.topic, outcome: .deadLettered, outputs: 0, deadLetter: deadLetter)
    }

    private func recordInbox(
        key: String, _ record: KafkaConsumerMessage, outcome: RecordResult.Outcome, in transaction: any StoreTransaction
    ) throws {
        try transaction.execute(
            "INSERT INTO mia_inbox (input_key, topic, partition, \"offset\", outcome) VALUES (?, ?, ?, ?, ?)",
            [
                .text(key), .text(record.topic), .int(Int(record.partition)), .integer(record.offset),
                .text(outcome.rawValue),
            ])
    }

    /// The id of an output: UUIDv5 of the input event id and the discriminator.
    static func outputId(input: String, discriminator: String) -> String {
        UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "\(input)/\(discriminator)").uuidString.lowercased()
    }
}
