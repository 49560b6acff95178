import MIAContracts

/// A faulty line the simulator put into an output file on purpose; `mia publish` must reject it.
public struct SimulationFault: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What is wrong with the line. A struct over a private enum so that new faults are not API breaks.
    public struct Kind: Sendable, Hashable, Codable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable, CaseIterable {
            case malformedJSON, missingField, wrongType, consentNotGiven, endBeforeStart, asfWithoutAsfId
            case invalidPersonnummer, unknownEnumValue
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The line is not a complete JSON object (it is cut short).
        public static let malformedJSON = Kind(.malformedJSON)
        /// A required field is left out.
        public static let missingField = Kind(.missingField)
        /// A field has the wrong JSON type, for example a string where a boolean belongs.
        public static let wrongType = Kind(.wrongType)
        /// A referral with `consentGiven` false.
        public static let consentNotGiven = Kind(.consentNotGiven)
        /// An end (planned end, next follow-up, busy end) before its start.
        public static let endBeforeStart = Kind(.endBeforeStart)
        /// ASF work training without the ASF's id.
        public static let asfWithoutAsfId = Kind(.asfWithoutAsfId)
        /// A personnummer with a wrong check digit.
        public static let invalidPersonnummer = Kind(.invalidPersonnummer)
        /// A code that is not in the vocabulary, for example an unknown delprojekt.
        public static let unknownEnumValue = Kind(.unknownEnumValue)

        /// The faults that can be put into records of a kind.
        public static func applicable(to kind: InputRecordKind) -> [Kind] {
            let common: [Kind] = [.malformedJSON, .missingField, .wrongType]
            switch kind {
            case .referral:
                return common + [
                    .consentNotGiven, .endBeforeStart, .asfWithoutAsfId, .invalidPersonnummer, .unknownEnumValue,
                ]
            case .followup: return common + [.endBeforeStart, .invalidPersonnummer, .unknownEnumValue]
            case .outcome: return common + [.invalidPersonnummer, .unknownEnumValue]
            case .asfCapacity: return common + [.unknownEnumValue]
            case .calendarBusy: return common + [.endBeforeStart]
            default: return common
            }
        }

        /// The name, for example `missingField`.
        public var description: String { base.rawValue }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let name = try container.decode(String.self)
            guard let base = Base(rawValue: name) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown fault kind")
            }
            self.base = base
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(base.rawValue)
        }
    }

    /// The kind of record, and so the file, the line is in.
    public var recordKind: InputRecordKind
    /// The 1-based line number in that file.
    public var line: Int
    /// What is wrong.
    public var kind: Kind

    /// Creates a fault entry.
    public init(recordKind: InputRecordKind, line: Int, kind: Kind) {
        self.recordKind = recordKind
        self.line = line
        self.kind = kind
    }

    /// For example `referral.ndjson:17 consentNotGiven`.
    public var description: String { "\(SimulationOutput.fileName(of: recordKind)):\(line) \(kind)" }

    private enum CodingKeys: String, CodingKey {
        case file, line, fault
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let file = try container.decode(String.self, forKey: .file)
        guard let recordKind = InputRecordKind.allCases.first(where: { SimulationOutput.fileName(of: $0) == file })
        else {
            throw DecodingError.dataCorruptedError(forKey: .file, in: container, debugDescription: "unknown file")
        }
        self.recordKind = recordKind
        line = try container.decode(Int.self, forKey: .line)
        kind = try container.decode(Kind.self, forKey: .fault)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(SimulationOutput.fileName(of: recordKind), forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(kind, forKey: .fault)
    }
}
