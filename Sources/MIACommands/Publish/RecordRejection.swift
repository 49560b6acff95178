import MIAContracts

/// An input record that `mia publish` refused: where it is in the input and every rule it breaks.
struct RecordRejection: Sendable, Hashable {
    /// The 1-based line (NDJSON) or element (JSON array) number.
    var position: Int
    /// What is wrong; field paths are relative to the input record.
    var violations: [ContractViolation]

    /// One line per violation, `line 7: field consentGiven: …`, or without the field when the violation
    /// concerns the whole record. Messages never contain field values, so no personnummer is echoed.
    /// - Parameter positionLabel: `line` or `element`.
    func reportLines(positionLabel: String) -> [String] {
        violations.map { violation in
            let place = "\(positionLabel) \(position)"
            guard let field = violation.field else { return "\(place): \(violation.message)" }
            return "\(place): field \(field): \(violation.message)"
        }
    }
}
