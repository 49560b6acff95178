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

/// The two attributes read first, to pick the `data` type: `specversion` and `type`.
struct EnvelopeHead: Decodable {
    var specversion: String
    var type: String
}
