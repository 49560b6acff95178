/// An agency record ready for Kafka: topic, key and CloudEvents JSON value.
public struct PreparedRecord: Sendable, Hashable {
    /// The topic to publish on.
    public var topic: String
    /// The record key: the UTF-8 of the event's `subject`.
    public var key: [UInt8]
    /// The record value: the CloudEvent as structured-mode JSON.
    public var value: [UInt8]
    /// The event id (idempotency key).
    public var eventId: String
    /// The event the value encodes.
    public var event: CloudEvent

    /// Creates a prepared record.
    public init(topic: String, key: [UInt8], value: [UInt8], eventId: String, event: CloudEvent) {
        self.topic = topic
        self.key = key
        self.value = value
        self.eventId = eventId
        self.event = event
    }
}

/// The result of preparing one input record: ready to publish, or rejected with every problem found.
public enum PreparationResult: Sendable, Hashable {
    /// The record passed every check.
    case ready(PreparedRecord)
    /// The record breaks the contract; field paths are relative to the input object.
    case rejected([ContractViolation])
}
