import Foundation
import Testing

@testable import MIAContracts

@Suite("Preparing agency input records")
struct InputRecordPreparerTests {
    static let personnummer = "19121212-1212"
    static let reference = "p-dac76de18eecefba4c82c3c9356a6a3b"  // of the number above under PseudonymizerTests.key

    let preparer = InputRecordPreparer(
        pseudonymizer: try! Pseudonymizer(keyText: PseudonymizerTests.key),
        referenceDate: CalendarDate(year: 2018, month: 3, day: 5)!,
        clock: { Date(timeIntervalSince1970: 1_520_240_400.75) })

    static func referral(_ changes: [String: Any?] = [:]) -> Data {
        var record: [String: Any] = [
            "referralId": "ref-77", "personnummer": personnummer, "delprojekt": "OstraSodertorn",
            "resursrad": "rr-os-1",
            "insatsType": "caseManagement",
            "handlaggare": ["agency": "region", "id": "reg-h-5", "contactChannel": "reg-c-1"],
            "agencyCaseRef": "R-2018-9", "consentGiven": true, "decisionDate": "2018-03-01",
            "plannedStart": "2018-03-12",
            "plannedEnd": "2018-06-29", "employmentStatus": "unemployed", "educationLevel": "isced0_2",
        ]
        for (key, value) in changes { record[key] = value }
        return try! JSONSerialization.data(withJSONObject: record)
    }

    func ready(_ result: PreparationResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> PreparedRecord
    {
        guard case .ready(let record) = result else {
            Issue.record("expected a ready record, got \(result)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return record
    }

    func violations(_ result: PreparationResult) -> [ContractViolation] {
        guard case .rejected(let violations) = result else { return [] }
        return violations
    }

    @Test("a referral with a personnummer becomes a pseudonymous CloudEvent")
    func referralWithPersonnummer() throws {
        let record = try ready(preparer.prepare(Self.referral(), kind: .referral))
        #expect(record.topic == "mia.referral.v1")
        #expect(record.key == Array(Self.reference.utf8))
        let event = try EventDecoder().decode(record.value)
        #expect(event == record.event)
        #expect(event.id == record.eventId)
        #expect(event.source == "/mia/publish")
        #expect(event.time == Date(timeIntervalSince1970: 1_520_240_400), "whole seconds")
        guard case .referralCreated(let referral) = event.payload else {
            Issue.record("wrong payload \(event.payload)")
            return
        }
        #expect(referral.participantRef == Self.reference)
        #expect(referral.legalGender == .man)
        #expect(referral.birthYear == 1912)
        #expect(referral.birthMonth == 12)
    }

    @Test("the personnummer appears nowhere in the output")
    func noPersonnummerInOutput() throws {
        let record = try ready(preparer.prepare(Self.referral(), kind: .referral))
        let text = String(decoding: record.value + record.key, as: UTF8.self) + record.eventId + "\(record)"
        for form in ["19121212-1212", "191212121212", "121212-1212", "1212121212", "personnummer"] {
            #expect(!text.contains(form))
        }
    }

    @Test("event ids: derived deterministically from kind and natural key, or taken from the record")
    func eventIds() throws {
        let first = try ready(preparer.prepare(Self.referral(), kind: .referral))
        let again = try ready(preparer.prepare(Self.referral(), kind: .referral))
        let other = try ready(preparer.prepare(Self.referral(["referralId": "ref-78"]), kind: .referral))
        #expect(first.eventId == again.eventId)
        #expect(first.eventId != other.eventId)
        #expect(
            first.eventId
                == UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "referral:ref-77").uuidString.lowercased())
        let explicit = try ready(
            preparer.prepare(
                Self.referral(["eventId": "af-batch-7-line-3", "source": "/mia/publish/region"]), kind: .referral))
        #expect(explicit.eventId == "af-batch-7-line-3")
        #expect(explicit.event.source == "/mia/publish/region")
    }

    @Test("UUIDv5 matches the RFC test vector")
    func uuidV5() {
        let dns = UUID(uuidString: "6ba7b810-9dad-11d1-80b4-00c04fd430c8")!
        #expect(
            UUIDv5.make(namespace: dns, name: "www.example.com").uuidString.lowercased()
                == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
        // Computed independently with Python's uuid.uuid5.
        #expect(
            UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "referral:ref-1").uuidString.lowercased()
                == "fae02550-76ee-5dfb-94e5-3226017dfb59")
    }

    @Test("every problem of a record is reported, field by field")
    func allViolations() {
        let result = preparer.prepare(
            Self.referral(["consentGiven": false, "plannedEnd": "2018-03-01", "insatsType": "asfWorkTraining"]),
            kind: .referral)
        let found = Set(violations(result).map { "\($0.code)@\($0.field ?? "")" })
        #expect(found == ["consentNotGiven@consentGiven", "endBeforeStart@plannedEnd", "asfIdRequired@asfId"])
    }

    @Test("an invalid personnummer is reported without its digits and without follow-on errors")
    func invalidPersonnummer() {
        let result = preparer.prepare(Self.referral(["personnummer": "19121212-1213"]), kind: .referral)
        let found = violations(result)
        #expect(found.map(\.code) == [.invalidPersonnummer])
        #expect(found.first?.field == "personnummer")
        #expect(found.first?.message == "invalid checksum")
        #expect(!"\(found)".contains("1213"))
    }

    @Test("derived fields must not be given with a personnummer")
    func derivedFieldsGiven() {
        let found = violations(
            preparer.prepare(Self.referral(["legalGender": "kvinna", "birthYear": 1950]), kind: .referral))
        #expect(Set(found.compactMap(\.field)) == ["legalGender", "birthYear"])
        #expect(found.allSatisfy { $0.code == .invalidValue })
    }

    @Test("a record with a participant reference and explicit start attributes needs no personnummer")
    func participantRefRecord() throws {
        let data = Self.referral([
            "personnummer": nil, "participantRef": Self.reference, "legalGender": "kvinna", "ageAtStart": 29,
        ])
        let record = try ready(preparer.prepare(data, kind: .referral))
        #expect(record.key == Array(Self.reference.utf8))
    }

    @Test("a personnummer together with a participant reference is refused")
    func both() {
        let found = violations(preparer.prepare(Self.referral(["participantRef": Self.reference]), kind: .referral))
        #expect(found.map(\.field) == ["participantRef"])
    }

    @Test("a personnummer is refused in records that are not about a participant")
    func personnummerOutOfScope() {
        let busy =
            #"{"staffId": "s-1", "start": "2018-03-05T08:00:00Z", "end": "2018-03-05T09:00:00Z", "busyId": "b-1", "personnummer": "19121212-1212"}"#
        let found = violations(preparer.prepare(Data(busy.utf8), kind: .calendarBusy))
        #expect(found.map(\.field) == ["personnummer"])
        #expect(!"\(found)".contains("1212"))
    }

    @Test(
        "records of the other kinds become their event types",
        arguments: [
            (
                InputRecordKind.followup,
                #"{"followupId": "f-1", "referralId": "ref-77", "personnummer": "121212+1212", "kind": "feedback", "date": "2018-04-01"}"#,
                "mia.followup.v1"
            ),
            (
                .outcome,
                #"{"referralId": "ref-77", "personnummer": "121212+1212", "endDate": "2018-06-29", "outcome": "jobSeeking", "inEducationOrTraining": false, "gainedQualification": false, "newlyJobSeeking": true}"#,
                "mia.outcome.v1"
            ),
            (
                .asfCapacity,
                #"{"asfId": "asf-9", "activity": "bikes", "places": 4, "fromDate": "2018-01-01", "status": "active"}"#,
                "mia.asf.v1"
            ),
            (
                .calendarBusy,
                #"{"staffId": "s-1", "start": "2018-03-05T08:00:00+01:00", "end": "2018-03-05T09:00:00+01:00", "busyId": "b-1"}"#,
                "mia.calendar.v1"
            ),
            (
                .rescheduleRequest,
                #"{"meetingId": "m-1", "referralId": "ref-77", "personnummer": "191212121212", "requestedBy": "insats", "reasonCode": "staffIll"}"#,
                "mia.request.v1"
            ),
            (
                .withdrawRequest,
                #"{"referralId": "ref-77", "personnummer": "19121212-1212", "asfId": "asf-9", "activity": "bikes"}"#,
                "mia.request.v1"
            ),
        ])
    func otherKinds(_ kind: InputRecordKind, _ json: String, _ topic: String) throws {
        let record = try ready(preparer.prepare(Data(json.utf8), kind: kind))
        #expect(record.topic == topic)
        #expect(record.event.type == kind.eventType)
        #expect(try EventDecoder().decode(record.value) == record.event)
        if kind.isParticipantScoped {
            #expect(record.key == Array(Self.reference.utf8))
        }
    }

    @Test("field paths of decode errors are relative to the record")
    func decodeErrorPaths() {
        let missing = violations(
            preparer.prepare(Self.referral(["handlaggare": ["agency": "AF", "id": "x"]]), kind: .referral))
        #expect(missing.map { "\($0.code)@\($0.field ?? "")" } == ["missingField@handlaggare.contactChannel"])
        let wrong = violations(preparer.prepare(Self.referral(["disadvantages": ["disability", 7]]), kind: .referral))
        #expect(wrong.map { "\($0.code)@\($0.field ?? "")" } == ["wrongType@disadvantages.1"])
    }

    @Test("unreadable and oversize records are refused")
    func unreadable() {
        #expect(violations(preparer.prepare(Data("{".utf8), kind: .referral)).map(\.code) == [.malformedJSON])
        #expect(violations(preparer.prepare(Data("[]".utf8), kind: .referral)).map(\.code) == [.malformedJSON])
        let small = InputRecordPreparer(
            pseudonymizer: preparer.pseudonymizer, referenceDate: preparer.referenceDate, maxMessageBytes: 100)
        #expect(violations(small.prepare(Self.referral(), kind: .referral)).map(\.code) == [.tooLarge])
    }
}

extension InputRecordKind: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

@Suite("Unknown fields in agency input records")
struct UnknownFieldTests {
    @Test("misspelt or extra fields are reported with their path; null counts as absent")
    func unknownFields() {
        let preparer = InputRecordPreparerTests().preparer
        let data = InputRecordPreparerTests.referral([
            "asfActivty": "garden", "namn": "x", "preferredStartDate": NSNull(),
            "handlaggare": ["agency": "AF", "id": "a", "contactChannel": "c", "email": "x"],
        ])
        let result = preparer.prepare(data, kind: .referral)
        guard case .rejected(let violations) = result else {
            Issue.record("expected rejection")
            return
        }
        #expect(
            violations.map { "\($0.code)@\($0.field ?? "")" } == [
                "unknownField@asfActivty", "unknownField@handlaggare.email", "unknownField@namn",
            ])
    }
}
