import MIAContracts

/// Writes records as NDJSON lines and, at the configured rate, puts a faulty version of a record on the
/// line before it, noting each fault.
struct FaultInjector {
    private var generator: SplitMix64
    private let rate: Double
    /// Every fault put in so far, in file and line order.
    private(set) var faults: [SimulationFault] = []

    /// Creates an injector.
    /// - Parameters:
    ///   - rate: The share of records preceded by a faulty version, `0...1`.
    ///   - generator: The faults' random stream.
    init(rate: Double, generator: SplitMix64) {
        self.rate = rate
        self.generator = generator
    }

    /// The lines of one file.
    /// - Parameters:
    ///   - kind: The kind of the records.
    ///   - count: The number of records.
    ///   - record: The record at an index, in file order.
    mutating func lines(
        of kind: InputRecordKind, count: Int, record: (Int) -> InputRecordObject
    ) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(count + Int(Double(count) * rate * 1.5) + 1)
        let applicable = SimulationFault.Kind.applicable(to: kind)
        for index in 0..<count {
            let object = record(index)
            if rate > 0, generator.chance(rate) {
                let fault = generator.element(of: applicable)
                lines.append(faulty(object, kind: kind, fault: fault))
                faults.append(SimulationFault(recordKind: kind, line: lines.count, kind: fault))
            }
            lines.append(object.jsonText)
        }
        return lines
    }

    /// The line of a record broken in the given way.
    private mutating func faulty(
        _ original: InputRecordObject, kind: InputRecordKind, fault: SimulationFault.Kind
    ) -> String {
        var record = original
        switch fault {
        case .malformedJSON:
            let text = original.jsonText
            return String(text.prefix(generator.int(in: 1...text.count - 1)))
        case .missingField:
            record[generator.element(of: Self.requiredFields(of: kind))] = nil
        case .wrongType:
            let (field, value) = Self.wrongTypedField(of: kind)
            record[field] = value
        case .consentNotGiven:
            record["consentGiven"] = .bool(false)
        case .endBeforeStart:
            breakOrder(of: &record, kind: kind)
        case .asfWithoutAsfId:
            record["insatsType"] = .string(InsatsType.asfWorkTraining.rawValue)
            record["asfId"] = nil
        case .invalidPersonnummer:
            let number = record.string("personnummer") ?? ""
            let check = number.last?.wholeNumberValue ?? 0
            record["personnummer"] = .string(
                String(number.dropLast()) + String((check + generator.int(in: 1...9)) % 10))
        default:
            let (field, code) = generator.element(of: Self.unknownCodes(of: kind))
            record[field] = .string(code)
        }
        return record.jsonText
    }

    /// Puts an end before its start: the planned end on the decision day (before the planned start), the
    /// next follow-up before the follow-up, or the busy end at midnight before the busy start.
    private mutating func breakOrder(of record: inout InputRecordObject, kind: InputRecordKind) {
        switch kind {
        case .referral:
            record["plannedEnd"] = record["decisionDate"]
        case .followup:
            let date = CalendarDate(record.string("date") ?? "").map(SimulationDay.init) ?? SimulationDay(number: 0)
            record["nextFollowupDue"] = .string((date - generator.int(in: 1...14)).text)
        default:
            record["end"] = .string(String((record.string("start") ?? "").prefix(10)) + "T00:00:00Z")
        }
    }

    private static func requiredFields(of kind: InputRecordKind) -> [String] {
        switch kind {
        case .referral:
            ["referralId", "personnummer", "handlaggare", "agencyCaseRef", "decisionDate", "employmentStatus"]
        case .followup: ["followupId", "referralId", "personnummer", "kind", "date"]
        case .outcome: ["referralId", "personnummer", "endDate", "outcome", "inEducationOrTraining"]
        case .asfCapacity: ["asfId", "activity", "places", "fromDate", "status"]
        default: ["staffId", "start", "end", "busyId"]
        }
    }

    private static func wrongTypedField(of kind: InputRecordKind) -> (String, InputRecordObject.Value) {
        switch kind {
        case .referral: ("consentGiven", .string("yes"))
        case .followup: ("date", .integer(20_180_312))
        case .outcome: ("gainedQualification", .string("no"))
        case .asfCapacity: ("places", .string("six"))
        default: ("start", .integer(1_521_532_800))
        }
    }

    private static func unknownCodes(of kind: InputRecordKind) -> [(String, String)] {
        switch kind {
        case .referral:
            [
                ("delprojekt", "Uppsala"), ("insatsType", "coaching"), ("employmentStatus", "retired"),
                ("educationLevel", "isced9"),
            ]
        case .followup: [("kind", "phoneCall")]
        case .outcome: [("outcome", "retired")]
        default: [("status", "closed")]
        }
    }
}
