import MIAContracts

/// The report of rejected records on standard error: the first few in full, then how many more, and a
/// count per broken rule so that a large file's problems can be seen at a glance.
///
/// It keeps only the records it lists and the counts, so that a large input's report takes little memory.
struct RejectionReport {
    /// `line` or `element`.
    var positionLabel: String
    /// How many rejected records are listed in full.
    var listedRecords = standardListedRecords
    /// The rejected records listed in full, in input order.
    private(set) var listed: [RecordRejection] = []
    /// How many records were rejected.
    private(set) var count = 0
    /// Rejected records per broken rule.
    private var recordsByRule: [String: Int] = [:]

    /// The number of rejected records listed in full by default.
    static let standardListedRecords = 50

    init(positionLabel: String, listedRecords: Int = standardListedRecords) {
        self.positionLabel = positionLabel
        self.listedRecords = listedRecords
    }

    /// Adds rejected records, in input order.
    mutating func add(_ rejections: [RecordRejection]) {
        for rejection in rejections {
            count += 1
            if listed.count < listedRecords { listed.append(rejection) }
            for rule in Set(rejection.violations.map(\.code.name)) { recordsByRule[rule, default: 0] += 1 }
        }
    }

    /// The report, one finding a line, ending in a newline; empty when nothing was rejected.
    var text: String {
        guard count > 0 else { return "" }
        var lines = listed.flatMap { $0.reportLines(positionLabel: positionLabel) }
        if count > listed.count {
            lines.append("… and \(count - listed.count) more rejected records")
        }
        let rules = recordsByRule.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { "\($0.key) \($0.value)" }
        lines.append("rejected records by rule: " + rules.joined(separator: ", "))
        return lines.joined(separator: "\n") + "\n"
    }
}
