import Foundation

/// Turns agency input records into CloudEvents ready for Kafka: the pure logic of `mia publish`.
///
/// An input record is the event's `data` object with these differences:
/// - `personnummer` may replace `participantRef` in participant-scoped kinds; it is validated, turned into
///   a participant reference by the ``Pseudonymizer`` and dropped. For referrals, `legalGender`,
///   `birthYear` and `birthMonth` are then derived from it and must not be given (nor `ageAtStart`).
/// - `eventId` (optional) sets the event id; otherwise a UUIDv5 of the kind and the record's natural key
///   is used, so republishing the same file gives the same ids.
/// - `source` (optional) sets the CloudEvents `source`; otherwise ``defaultSource``.
///
/// - Important: The personnummer never appears in a ``PreparedRecord`` or a ``ContractViolation``.
public struct InputRecordPreparer: Sendable {
    /// The CloudEvents `source` of records that name none.
    public static let standardSource = "/mia/publish"

    /// Makes participant references.
    public var pseudonymizer: Pseudonymizer
    /// The day personnummer are interpreted on (century of 10-digit forms).
    public var referenceDate: CalendarDate
    /// The source of records that name none.
    public var defaultSource: String
    /// The largest event accepted, in bytes.
    public var maxMessageBytes: Int
    /// The event time of prepared records.
    public var clock: @Sendable () -> Date

    /// Creates a preparer.
    /// - Parameters:
    ///   - pseudonymizer: Makes participant references from personnummer.
    ///   - referenceDate: The day personnummer are interpreted on.
    ///   - defaultSource: The CloudEvents `source` of records that name none.
    ///   - maxMessageBytes: The largest event accepted, in bytes; default 64 KiB as in ``EventDecoder``.
    ///   - clock: Gives the event time.
    public init(
        pseudonymizer: Pseudonymizer,
        referenceDate: CalendarDate,
        defaultSource: String = InputRecordPreparer.standardSource,
        maxMessageBytes: Int = EventDecoder.Configuration().maxMessageBytes,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.pseudonymizer = pseudonymizer
        self.referenceDate = referenceDate
        self.defaultSource = defaultSource
        self.maxMessageBytes = maxMessageBytes
        self.clock = clock
    }

    /// Prepares one input record.
    /// - Parameters:
    ///   - bytes: The record as a JSON object.
    ///   - kind: What the record is.
    /// - Returns: The ready record, or every violation found, with paths relative to the input object.
    public func prepare(_ bytes: [UInt8], kind: InputRecordKind) -> PreparationResult {
        prepare(Data(bytes), kind: kind)
    }

    /// Prepares one input record.
    /// - Parameters:
    ///   - bytes: The record as a JSON object.
    ///   - kind: What the record is.
    /// - Returns: The ready record, or every violation found, with paths relative to the input object.
    public func prepare(_ bytes: Data, kind: InputRecordKind) -> PreparationResult {
        guard bytes.count <= maxMessageBytes else {
            return .rejected([
                ContractViolation(.tooLarge, field: nil, "record exceeds the limit of \(maxMessageBytes) bytes")
            ])
        }
        guard case .object(var fields)? = try? JSONValueParser.parse(Array(bytes)) else {
            return .rejected([ContractViolation(.malformedJSON, field: nil, "the record is not a JSON object")])
        }
        var violations: [ContractViolation] = []
        let eventId = takeString("eventId", from: &fields, into: &violations)
        let source = takeString("source", from: &fields, into: &violations) ?? defaultSource
        let personnummerFailed = replacePersonnummer(in: &fields, kind: kind, into: &violations)

        let type = kind.eventType
        var payload: EventPayload?
        var unread: [String] = []
        do {
            (payload, unread) = try decodePayload(.object(fields), type: type)
        } catch let error as DecodingError {
            violations.append(ContractViolation(error, under: nil))
        } catch let violation as ContractViolation {
            violations.append(violation)
        } catch {
            violations.append(ContractViolation(.malformedJSON, field: nil, "the record cannot be read"))
        }
        if let payload {
            // The fields the typed data did not read are not the contract's (a null counts as absent).
            violations += unread.map {
                ContractViolation(.unknownField, field: $0, "not a field of \(payload.eventType.name)")
            }
            violations += payload.violations
        }
        if personnummerFailed { violations.removeAll { $0.field == "participantRef" } }
        guard violations.isEmpty, let payload else { return .rejected(violations) }

        let id =
            eventId
            ?? UUIDv5.make(
                namespace: UUIDv5.eventIdNamespace, name: "\(kind.rawValue):\(kind.naturalKey(of: payload))"
            ).uuidString.lowercased()
        let time = Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down))
        let event = CloudEvent(id: id, source: source, time: time, payload: payload)
        guard let value = try? EventEncoder().bytes(of: event) else {
            return .rejected([ContractViolation(.invalidValue, field: nil, "the record cannot be written as JSON")])
        }
        guard value.count <= maxMessageBytes else {
            return .rejected([
                ContractViolation(.tooLarge, field: nil, "event exceeds the limit of \(maxMessageBytes) bytes")
            ])
        }
        return .ready(
            PreparedRecord(
                topic: type.topic, key: Array(event.subject.utf8), value: value, eventId: id, event: event))
    }

    /// The typed data of a record, decoded from its parsed form (one JSON pass), and the fields it did not read.
    private func decodePayload(_ value: JSONValue, type: EventType) throws -> (EventPayload?, [String]) {
        guard let dataType = EventPayload.dataType(of: type) else { return (nil, []) }
        let (data, unread) = try JSONValueDecoder().decode(dataType, from: value)
        return (try EventPayload(type, data: data), unread)
    }

    /// Removes an optional, non-empty string field that is not part of the data.
    private func takeString(
        _ name: String, from fields: inout [String: JSONValue], into violations: inout [ContractViolation]
    ) -> String? {
        switch fields.removeValue(forKey: name) {
        case nil:
            return nil
        case .string(let value) where !value.isEmpty:
            return value
        case .string:
            violations.append(ContractViolation(.invalidValue, field: name, "must not be empty"))
        default:
            violations.append(ContractViolation(.wrongType, field: name, "expected a string"))
        }
        return nil
    }

    /// Replaces `personnummer` by `participantRef` and, for referrals, the derived start attributes.
    /// - Returns: Whether a personnummer was given but could not be used.
    private func replacePersonnummer(
        in fields: inout [String: JSONValue], kind: InputRecordKind, into violations: inout [ContractViolation]
    ) -> Bool {
        guard let value = fields.removeValue(forKey: "personnummer") else { return false }
        guard kind.isParticipantScoped else {
            violations.append(
                ContractViolation(.invalidValue, field: "personnummer", "not allowed for \(kind.rawValue) records"))
            return false
        }
        guard case .string(let text) = value else {
            violations.append(ContractViolation(.wrongType, field: "personnummer", "expected a string"))
            return true
        }
        if fields["participantRef"] != nil {
            violations.append(
                ContractViolation(
                    .invalidValue, field: "participantRef", "give personnummer or participantRef, not both"))
        }
        let personnummer: Personnummer
        do {
            personnummer = try Personnummer(text, referenceDate: referenceDate)
        } catch {
            violations.append(ContractViolation(.invalidPersonnummer, field: "personnummer", error.code.description))
            return true
        }
        fields["participantRef"] = .string(pseudonymizer.participantRef(for: personnummer))
        if kind == .referral {
            for derived in ["legalGender", "birthYear", "birthMonth", "ageAtStart"] where fields[derived] != nil {
                violations.append(
                    ContractViolation(.invalidValue, field: derived, "derived from personnummer; omit it"))
            }
            fields["legalGender"] = .string(personnummer.legalGender.rawValue)
            fields["birthYear"] = .integer(personnummer.birthYear)
            fields["birthMonth"] = .integer(personnummer.birthMonth)
        }
        return false
    }
}
