import Foundation

/// The wire form of a CloudEvent in structured JSON mode, generic over the `data` type.
///
/// Every attribute is required when decoding, so a missing one is reported with its name.
struct EnvelopeCoding<Payload: Codable>: Codable {
    var specversion: String
    var id: String
    var source: String
    var type: String
    var time: Date
    var subject: String
    var datacontenttype: String
    var dataschema: String
    var data: Payload
}

/// A CloudEvent read in one pass: `specversion` and `type` first (an unsupported version or an unknown type is
/// reported before anything else), then the other attributes, every one required, then `data` as the type's own
/// data type.
struct DecodingEnvelope: Decodable {
    var specversion: String
    var type: EventType
    var id: String
    var source: String
    var time: Date
    var subject: String
    var datacontenttype: String
    var dataschema: String
    var data: any EventData

    private enum Key: String, CodingKey {
        case specversion, id, source, type, time, subject, datacontenttype, dataschema, data
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        specversion = try container.decode(String.self, forKey: .specversion)
        let typeName = try container.decode(String.self, forKey: .type)
        guard specversion == CloudEvent.specVersion else {
            throw ContractViolation(.unsupportedSpecVersion, field: "specversion", "only CloudEvents 1.0 is supported")
        }
        guard let type = EventType(name: typeName), let dataType = EventPayload.dataType(of: type) else {
            throw ContractViolation(.unknownEventType, field: "type", "not a registered MIAFlow event type")
        }
        self.type = type
        id = try container.decode(String.self, forKey: .id)
        source = try container.decode(String.self, forKey: .source)
        time = try container.decode(Date.self, forKey: .time)
        subject = try container.decode(String.self, forKey: .subject)
        datacontenttype = try container.decode(String.self, forKey: .datacontenttype)
        dataschema = try container.decode(String.self, forKey: .dataschema)
        data = try container.decode(dataType, forKey: .data)
    }
}
