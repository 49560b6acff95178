import Foundation
import Testing

@testable import MIAContracts

/// The output encoder writes what `JSONEncoder` (sorted keys, unescaped slashes, RFC 3339 dates) writes, byte for
/// byte: equal events give equal bytes whichever encoder wrote them.
@Suite("SortedJSONEncoder writes JSONEncoder's bytes")
struct SortedJSONEncoderTests {
    /// What `JSONEncoder`, configured for the contract, writes.
    static func reference<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        Array(try EventEncoder.jsonEncoder().encode(value))
    }

    /// What `JSONEncoder` writes for an event.
    static func reference<Data: EventData>(_ event: CloudEvent, _ data: Data) throws -> [UInt8] {
        try reference(
            EnvelopeCoding(
                specversion: CloudEvent.specVersion, id: event.id, source: event.source, type: event.type.name,
                time: event.time, subject: event.subject, datacontenttype: CloudEvent.dataContentType,
                dataschema: event.dataSchema, data: data))
    }

    @Test("Every event type's sample, envelope and data", arguments: Samples.events)
    func events(_ event: CloudEvent) throws {
        let bytes = try EventEncoder().bytes(of: event)
        let reference = try Self.reference(event, event.payload.data)
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        #expect(bytes == reference)
    }

    struct Awkward: Encodable {
        var asOf = "x"
        var asfId = "y"
        var a10 = 1
        var a9 = -2
        var B: UInt8 = 3
        var text = "é\u{1}\u{1f}\n\r\t\u{8}\u{c}/\"\\\u{7f}\u{2028} 🙂"
        var missing: Int? = nil
        var present: Int64? = .max
        var flags = [true, false]
        var nested = [["b": "1", "a": "2"], [:]]
        var when = Date(timeIntervalSince1970: 1_520_240_400)
        var dates: [Date?] = [Date(timeIntervalSince1970: 0), nil]
    }

    @Test("Key order, escapes, integers, optionals, nested arrays and objects, dates")
    func awkwardValues() throws {
        #expect(try SortedJSONEncoder().encode(Awkward()) == (try Self.reference(Awkward())))
    }

    struct Measured: Encodable {
        var ratio: Double
        var ratios: [Double?]
    }

    @Test(
        "Doubles are written as JSONEncoder writes them",
        arguments: [0.25, 1.0, 0.1, 1e-7, 123_456_789.0, 1e21, 0.3333333333333333, -0.0, 1.5e300, 0.000001])
    func doubles(_ value: Double) throws {
        let measured = Measured(ratio: value, ratios: [value, nil, -value])
        #expect(try SortedJSONEncoder().encode(measured) == (try Self.reference(measured)))
    }

    struct Single: Encodable {
        var ratio: Float = 0.1
    }

    @Test("A Float is written by JSONEncoder")
    func float() throws {
        #expect(try SortedJSONEncoder().encode(Single()) == (try Self.reference(Single())))
    }
}
