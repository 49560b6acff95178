/// Collects the business-rule violations of one event's data, with the checks most types share.
struct ViolationCollector {
    private(set) var violations: [ContractViolation] = []

    mutating func add(
        _ code: ContractViolation.Code, _ field: String, _ message: String, file: String = #fileID, line: Int = #line
    ) {
        violations.append(ContractViolation(code, field: field, message, file: file, line: line))
    }

    /// Requires an identifier or text to contain something other than white space.
    mutating func nonEmpty(_ value: String, _ field: String, file: String = #fileID, line: Int = #line) {
        if value.allSatisfy(\.isWhitespace) {
            add(.invalidValue, field, "must not be empty", file: file, line: line)
        }
    }

    /// Requires an optional identifier, when present, to be non-empty.
    mutating func nonEmpty(_ value: String?, _ field: String, file: String = #fileID, line: Int = #line) {
        if let value { nonEmpty(value, field, file: file, line: line) }
    }

    /// Requires a pseudonymous participant reference (never a personnummer).
    mutating func participantRef(_ value: String, _ field: String = "participantRef") {
        if !Pseudonymizer.isParticipantRef(value) {
            add(.invalidValue, field, "must be a participant reference p- followed by 32 lowercase hex digits")
        }
    }

    /// Requires an integer within a range.
    mutating func within(_ value: Int, _ range: ClosedRange<Int>, _ field: String) {
        if !range.contains(value) {
            add(.invalidValue, field, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
    }

    /// Requires a non-negative integer.
    mutating func nonNegative(_ value: Int, _ field: String) {
        if value < 0 { add(.invalidValue, field, "must not be negative") }
    }

    /// Requires an end not before its start; reports on the end field.
    mutating func notBefore<T: Comparable>(_ end: T?, _ start: T?, _ endField: String, startField: String) {
        if let end, let start, end < start {
            add(.endBeforeStart, endField, "must not be before \(startField)")
        }
    }

    /// Requires an optional field to be present.
    mutating func present(_ value: (some Any)?, _ field: String, _ reason: String) {
        if value == nil { add(.missingField, field, "required field is missing: \(reason)") }
    }

    /// Requires an optional field to be absent.
    mutating func absent(_ value: (some Any)?, _ field: String, _ reason: String) {
        if value != nil { add(.invalidValue, field, "must be absent: \(reason)") }
    }
}
