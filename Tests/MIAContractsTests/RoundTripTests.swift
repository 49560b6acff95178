import Foundation
import MIAContracts
import Testing

@Suite("Encoding and decoding CloudEvents")
struct RoundTripTests {
    @Test("the samples cover every event type once")
    func samplesCoverEveryType() {
        #expect(Samples.events.map(\.type) == EventType.all)
    }

    @Test("Swift → JSON → Swift gives an equal event", arguments: Samples.events)
    func roundTrip(_ event: CloudEvent) throws {
        let bytes = try EventEncoder().encode(event)
        let decoded = try EventDecoder().decode(bytes)
        #expect(decoded == event)
        #expect(try EventEncoder().encode(decoded) == bytes, "encoding is stable")
    }

    @Test("every encoded event carries the CloudEvents attributes", arguments: Samples.events)
    func requiredAttributes(_ event: CloudEvent) throws {
        let object = try #require(JSONSerialization.jsonObject(with: EventEncoder().encode(event)) as? [String: Any])
        #expect(object["specversion"] as? String == "1.0")
        #expect(object["id"] as? String == event.id)
        #expect(object["source"] as? String == "/mia/test")
        #expect(object["type"] as? String == event.type.name)
        #expect(object["time"] as? String == "2018-03-05T09:00:00Z")
        #expect(object["subject"] as? String == event.payload.partitionKey)
        #expect(object["datacontenttype"] as? String == "application/json")
        #expect(object["dataschema"] as? String == "https://schemas.mia.se/v1/\(event.type.schemaFile)")
        #expect(object["data"] is [String: Any])
    }

    @Test("keys are sorted and slashes are not escaped")
    func stableLayout() throws {
        let text = String(decoding: try EventEncoder().encode(Samples.events[3]), as: UTF8.self)
        #expect(text.hasPrefix(#"{"data":{"activity":"garden","asfId":"asf-1","#))
        #expect(text.contains(#""subject":"asf-1/garden""#))
    }

    @Test("a suppressed statistics cell writes value and share as null")
    func suppressedCellWritesNull() throws {
        let cell = StatisticsCell(
            period: "2018-Q1", periodType: .quarter, delprojekt: "HBS",
            breakdown: .init(gender: .kvinna, insatsType: "all"),
            indicator: "participants", value: nil, share: nil, suppressed: true, suppressionMethod: .secondary,
            threshold: 5)
        let event = CloudEvent(id: "s-1", source: "/mia/stats", time: Samples.time, payload: .statisticsCell(cell))
        let text = String(decoding: try EventEncoder().encode(event), as: UTF8.self)
        #expect(text.contains(#""share":null"#))
        #expect(text.contains(#""value":null"#))
        #expect(try EventDecoder().decode(Data(text.utf8)) == event)
    }

    @Test("timestamps with offsets and fractional seconds are read")
    func timestampForms() throws {
        let busy = try #require(Samples.events.first { $0.type == .calendarBusy })
        var text = String(decoding: try EventEncoder().encode(busy), as: UTF8.self)
        text = text.replacingOccurrences(
            of: #""start":"2018-03-05T09:00:00Z""#, with: #""start":"2018-03-05T10:00:00.000+01:00""#)
        text = text.replacingOccurrences(
            of: #""end":"2018-03-05T10:00:00Z""#, with: #""end":"2018-03-05T11:00:00+01:00""#)
        #expect(text.contains(#""end":"2018-03-05T11:00:00+01:00""#))
        let decoded = try EventDecoder().decode(Data(text.utf8))
        #expect(decoded == busy)

        for bad in ["2018-03-05T10:00:00", "2018-03-05 10:00:00Z", "2018-03-05"] {
            let broken = text.replacingOccurrences(of: "2018-03-05T11:00:00+01:00", with: bad)
            let violation = #expect(throws: ContractViolation.self) { try EventDecoder().decode(Data(broken.utf8)) }
            #expect(violation?.code == .invalidValue)
            #expect(violation?.field == "data.end")
        }
    }

    @Test("a payload whose data does not match the type is refused")
    func payloadTypeMismatch() {
        #expect(throws: ContractViolation.self) {
            try EventPayload(.meetingBooked, data: Samples.placement)
        }
    }
}

extension CloudEvent: CustomTestStringConvertible {
    public var testDescription: String { type.name }
}
