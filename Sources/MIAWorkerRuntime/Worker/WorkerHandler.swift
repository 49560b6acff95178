import Foundation
import MIAContracts

/// A worker's domain logic: from one decoded, validated event to a state change and output events.
///
/// The runtime does everything else: consuming, decoding, validation, the inbox that makes redelivery
/// harmless, the outbox that publishes the outputs, dead letters, retries, shutdown, health and metrics.
/// ``handle(_:in:)`` runs inside the store transaction that also records the inbox entry and the outputs.
public protocol WorkerHandler: Sendable {
    /// The worker's name: its consumer group, its dead-letter topic `mia.dlq.<name>` and its metrics label.
    var name: String { get }
    /// The topics it reads.
    var inputTopics: [String] { get }
    /// The topics it writes (besides its dead-letter topic).
    var outputTopics: [String] { get }
    /// The schema of its state, applied at start-up after the runtime's own tables.
    var migrations: [StoreMigration] { get }
    /// Applies one event.
    ///
    /// - Returns: The events to publish, in order.
    /// - Throws: ``HandlerRejection`` to dead-letter the event (its other effects are undone); a transient
    ///   ``StoreError`` to retry the batch later; any other error dead-letters the event as a handler error.
    func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput]
}

/// The event a handler gets, with where it came from.
public struct WorkerInput: Sendable {
    /// The decoded and validated event.
    public var event: CloudEvent
    /// The topic, partition and offset of the record.
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// The record's timestamp in milliseconds since the epoch, if it has one.
    public var timestampMilliseconds: Int64?

    public init(event: CloudEvent, topic: String, partition: Int32, offset: Int64, timestampMilliseconds: Int64?) {
        self.event = event
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestampMilliseconds = timestampMilliseconds
    }
}

/// An output event. Its id is derived from the input event's id and ``discriminator`` (UUIDv5), so a retried or
/// redelivered input gives the same id again.
public struct WorkerOutput: Sendable, Hashable {
    /// The typed payload; it decides the topic and the key.
    public var payload: EventPayload
    /// Distinguishes several outputs of one input, for example `booked` or `notify:<handläggare>`.
    public var discriminator: String
    /// The event time; the input event's time when `nil`, which keeps outputs a function of the inputs.
    public var time: Date?

    public init(_ payload: EventPayload, discriminator: String, time: Date? = nil) {
        self.payload = payload
        self.discriminator = discriminator
        self.time = time
    }
}

/// A handler's refusal of an event that is valid by the contract but not by the worker's rules, for example an
/// anvisning to an unknown ASF. The event goes to the dead-letter topic with this reason.
public struct HandlerRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dead-letter error class: `validation` for a rule of the domain, `handler` for a failure.
    public var errorClass: String
    public var reason: String

    public init(validation reason: String) {
        errorClass = "validation"
        self.reason = reason
    }

    public init(handler reason: String) {
        errorClass = "handler"
        self.reason = reason
    }

    public var description: String { "\(errorClass): \(reason)" }
}
