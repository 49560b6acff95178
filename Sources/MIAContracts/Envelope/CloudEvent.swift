import Foundation

/// A MIAFlow event: a CloudEvents 1.0 envelope around a typed ``EventPayload``.
///
/// The attributes that follow from the payload are computed, so they cannot disagree with it:
/// ``type`` from the payload's case, ``subject`` from its Kafka key and ``dataSchema`` from the type.
/// On the wire the event is CloudEvents structured-mode JSON (see ``EventEncoder`` and ``EventDecoder``).
public struct CloudEvent: Sendable, Hashable {
    /// The only supported CloudEvents `specversion`.
    public static let specVersion = "1.0"
    /// The `datacontenttype` of every MIAFlow event.
    public static let dataContentType = "application/json"

    /// The event id, unique per `source`; consumers use it as the idempotency key.
    public var id: String
    /// The producer, as a URI reference, for example `/mia/publish/af` or `/mia/booker`.
    public var source: String
    /// When the occurrence happened or was published; whole seconds.
    public var time: Date
    /// The typed `data`.
    public var payload: EventPayload

    /// Creates an event.
    /// - Parameters:
    ///   - id: The idempotency key.
    ///   - source: The producer's URI reference.
    ///   - time: The event time; sub-second precision is dropped on the wire.
    ///   - payload: The typed data.
    public init(id: String, source: String, time: Date, payload: EventPayload) {
        self.id = id
        self.source = source
        self.time = time
        self.payload = payload
    }

    /// The CloudEvents `type`.
    public var type: EventType { payload.eventType }
    /// The CloudEvents `subject`, equal to the Kafka key.
    public var subject: String { payload.partitionKey }
    /// The CloudEvents `dataschema`: the URI of the JSON schema of `data`.
    public var dataSchema: String { type.dataSchema }
    /// The topic the event is published on.
    public var topic: String { type.topic }
}
