import MIAContracts

/// The report of rejected records on standard error: the first few in full, then how many more, and a
/// count per broken rule so that a large file's problems can be seen at a glance.
struct RejectionReport {
    /// The rejected records, in input order.
    var rejections: [RecordRejection]
    /// `line` or `element`.
    var positionLabel: String
    /// How many rejected records are listed in full.
    var listedRecords = standardListedRecords

    /// The number of rejected records listed in full by default.
    static let standardListedRecords = 50

    /// The report, one finding a line, ending in a newline; empty when nothing was rejected.
    var text: String {
        guard !rejections.isEmpty else { return "" }
        var lines = rejections.prefix(listedRecords).flatMap { $0.reportLines(positionLabel: positionLabel) }
        if rejections.count > listedRecords {
            lines.append("… and \(rejections.count - listedRecords) more rejected records")
        }
        var recordsByRule: [String: Int] = [:]
        for rejection in rejections {
            for rule in Set(rejection.violations.map(\.code.name)) { recordsByRule[rule, default: 0] += 1 }
        }
        let rules = recordsByRule.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "\($0.key) \($0.value)" }
        lines.append("rejected records by rule: " + rules.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }
}
