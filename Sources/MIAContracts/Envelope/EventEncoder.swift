import Foundation

/// Writes ``CloudEvent``s as CloudEvents structured-mode JSON with sorted keys, so equal events give
/// equal bytes.
public struct EventEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// The JSON bytes of an event.
    /// - Throws: `EncodingError` only if a value cannot be represented in JSON (a non-finite number).
    public func encode(_ event: CloudEvent) throws -> Data {
        Data(try bytes(of: event))
    }

    /// The JSON bytes of an event, as an array (what a Kafka record takes).
    /// - Throws: `EncodingError` only if a value cannot be represented in JSON (a non-finite number).
    public func bytes(of event: CloudEvent) throws -> [UInt8] {
        try bytes(of: event, data: event.payload.data)
    }

    private func bytes<Payload: EventData>(of event: CloudEvent, data: Payload) throws -> [UInt8] {
        let envelope = EnvelopeCoding(
            specversion: CloudEvent.specVersion, id: event.id, source: event.source, type: event.type.name,
            time: event.time, subject: event.subject, datacontenttype: CloudEvent.dataContentType,
            dataschema: event.dataSchema, data: data)
        return try SortedJSONEncoder().encode(envelope)
    }

    /// A `JSONEncoder` configured for the contract: sorted keys, unescaped slashes, RFC 3339 times. ``SortedJSONEncoder``
    /// writes the same bytes faster; this one is its fallback and its reference in the tests.
    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = RFC3339.encodingStrategy
        return encoder
    }
}
