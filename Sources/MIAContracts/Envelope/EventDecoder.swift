import Foundation

/// Reads CloudEvents structured-mode JSON into ``CloudEvent``s and enforces the whole contract.
///
/// Checks, in order: size, JSON syntax, `specversion`, `type`, presence and JSON types of every
/// attribute and data field, attribute values (`datacontenttype`, `dataschema`), the data's business
/// rules, and finally that `subject` equals the data's Kafka key. The first failure is thrown.
public struct EventDecoder: Sendable {
    /// Limits applied while decoding.
    public struct Configuration: Sendable, Hashable {
        /// The largest accepted message, in bytes. Default 64 KiB.
        public var maxMessageBytes: Int

        /// Creates a configuration.
        /// - Parameter maxMessageBytes: The largest accepted message, in bytes.
        public init(maxMessageBytes: Int = 64 * 1024) {
            self.maxMessageBytes = maxMessageBytes
        }
    }

    /// The limits in use.
    public var configuration: Configuration

    /// Creates a decoder.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Decodes and validates one message.
    /// - Parameter bytes: The record value.
    /// - Throws: The first ``ContractViolation`` found.
    public func decode(_ bytes: [UInt8]) throws(ContractViolation) -> CloudEvent {
        try decode(Data(bytes))
    }

    /// Decodes and validates one message.
    /// - Parameter data: The record value.
    /// - Throws: The first ``ContractViolation`` found.
    public func decode(_ data: Data) throws(ContractViolation) -> CloudEvent {
        guard data.count <= configuration.maxMessageBytes else {
            throw ContractViolation(
                .tooLarge, field: nil,
                "message of \(data.count) bytes exceeds the limit of \(configuration.maxMessageBytes)")
        }
        // One JSON pass: the envelope's attributes are read in the order they are checked, `data` as the type's.
        let envelope = try decodeOrThrow(DecodingEnvelope.self, from: data)
        guard envelope.datacontenttype == CloudEvent.dataContentType else {
            throw ContractViolation(.invalidValue, field: "datacontenttype", "must be \(CloudEvent.dataContentType)")
        }
        guard envelope.dataschema == envelope.type.dataSchema else {
            throw ContractViolation(
                .invalidValue, field: "dataschema", "must be \(envelope.type.dataSchema) for this type")
        }
        for (value, field) in [(envelope.id, "id"), (envelope.source, "source")] where value.isEmpty {
            throw ContractViolation(.invalidValue, field: field, "must not be empty")
        }
        let payload = try EventPayload(envelope.type, data: envelope.data)
        if let violation = payload.violations.first {
            throw violation.nested(under: "data")
        }
        guard envelope.subject == payload.partitionKey else {
            throw ContractViolation(.invalidValue, field: "subject", "must equal the Kafka key derived from data")
        }
        return CloudEvent(id: envelope.id, source: envelope.source, time: envelope.time, payload: payload)
    }

    private func decodeOrThrow<Value: Decodable>(_ type: Value.Type, from data: Data) throws(ContractViolation) -> Value
    {
        do {
            return try Self.jsonDecoder().decode(type, from: data)
        } catch let violation as ContractViolation {
            throw violation
        } catch let error as DecodingError {
            if case .typeMismatch(_, let context) = error, context.codingPath.isEmpty {
                throw ContractViolation(.malformedJSON, field: nil, "the message is not a JSON object")
            }
            throw ContractViolation(error)
        } catch {
            throw ContractViolation(.malformedJSON, field: nil, "not valid JSON")
        }
    }

    /// A `JSONDecoder` configured for the contract: RFC 3339 times.
    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = RFC3339.decodingStrategy
        return decoder
    }
}
