/// A message that breaks the MIAFlow contract: what rule it breaks, where, and why.
///
/// Every check in ``EventDecoder`` and ``InputRecordPreparer`` reports its findings as values of this
/// type. ``field`` is a dotted path into the CloudEvent (`data.handlaggare.agency`, `data.disadvantages.0`)
/// or, for agency input records, into the input object (`handlaggare.agency`). It is `nil` when the
/// violation concerns the message as a whole, for example malformed JSON.
///
/// - Important: Messages never echo field values, so a violation can be logged or dead-lettered
///   without leaking personal data.
public struct ContractViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken.
    public var code: Code
    /// The dotted path of the offending field, or `nil` for the whole message.
    public var field: String?
    /// A human-readable explanation that contains no field values.
    public var message: String
    /// The source file where the violation was detected.
    public var file: String
    /// The source line where the violation was detected.
    public var line: Int

    /// Creates a violation.
    /// - Parameters:
    ///   - code: The broken rule.
    ///   - field: The dotted path of the offending field, or `nil` for the whole message.
    ///   - message: A human-readable explanation; must not contain field values.
    public init(_ code: Code, field: String?, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.field = field
        self.message = message
        self.file = file
        self.line = line
    }

    /// Whether the message could not be read as the declared event (`decode`) or was read but breaks a
    /// business rule (`validation`).
    public var errorClass: ErrorClass { code.errorClass }

    public var description: String {
        "\(code)\(field.map { " at \($0)" } ?? ""): \(message)"
    }

    /// Two violations are equal when they report the same rule, field and message, wherever detected.
    public static func == (lhs: ContractViolation, rhs: ContractViolation) -> Bool {
        lhs.code == rhs.code && lhs.field == rhs.field && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(field)
        hasher.combine(message)
    }

    /// The same violation with its field path placed under `prefix` (`plannedEnd` → `data.plannedEnd`).
    func nested(under prefix: String) -> ContractViolation {
        var copy = self
        copy.field = field.map { $0.isEmpty ? prefix : "\(prefix).\($0)" } ?? prefix
        return copy
    }
}

extension ContractViolation {
    /// The broken rule. A struct over a private enum so that new rules are not API breaks.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case malformedJSON, unsupportedSpecVersion, unknownEventType, missingField, wrongType, unknownField,
                tooLarge
            case invalidValue, consentNotGiven, endBeforeStart, asfIdRequired, invalidPersonnummer
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The bytes are not JSON, or not a JSON object.
        public static let malformedJSON = Code(.malformedJSON)
        /// `specversion` is not `1.0`.
        public static let unsupportedSpecVersion = Code(.unsupportedSpecVersion)
        /// `type` is not a registered ``EventType``.
        public static let unknownEventType = Code(.unknownEventType)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong JSON type (for example a string where a number is required, or `null`).
        public static let wrongType = Code(.wrongType)
        /// A field the contract does not define (reported for agency input records, where it is likely a typo;
        /// ``EventDecoder`` ignores unknown fields so that consumers tolerate additions).
        public static let unknownField = Code(.unknownField)
        /// The message exceeds the configured size limit.
        public static let tooLarge = Code(.tooLarge)
        /// A field has the right type but a value outside its contract (unknown code, bad date, range).
        public static let invalidValue = Code(.invalidValue)
        /// A referral without the participant's consent (`consentGiven` is not `true`).
        public static let consentNotGiven = Code(.consentNotGiven)
        /// An end date or time before its start.
        public static let endBeforeStart = Code(.endBeforeStart)
        /// Work training at an ASF without the ASF's id.
        public static let asfIdRequired = Code(.asfIdRequired)
        /// A personnummer or samordningsnummer in an input record is not valid.
        public static let invalidPersonnummer = Code(.invalidPersonnummer)

        /// The machine name of the rule, as used in `schemas/examples/invalid/index.json`.
        public var name: String { base.rawValue }

        /// The rule with the given machine name, or `nil` when there is none.
        public init?(name: String) {
            guard let base = Base(rawValue: name) else { return nil }
            self.base = base
        }

        /// Whether the rule is about reading the message or about its business meaning.
        public var errorClass: ErrorClass {
            switch base {
            case .malformedJSON, .unsupportedSpecVersion, .unknownEventType, .missingField, .wrongType, .unknownField,
                .tooLarge:
                .decode
            case .invalidValue, .consentNotGiven, .endBeforeStart, .asfIdRequired, .invalidPersonnummer:
                .validation
            }
        }

        public var description: String { base.rawValue }
    }

    /// The two classes of violation: unreadable message versus broken business rule.
    public struct ErrorClass: Sendable, Hashable, CustomStringConvertible {
        private let name: String

        private init(name: String) { self.name = name }

        /// The message cannot be read as the declared event.
        public static let decode = ErrorClass(name: "decode")
        /// The message was read but breaks a business rule.
        public static let validation = ErrorClass(name: "validation")

        public var description: String { name }
    }
}
