import MIAContracts

/// Primary and secondary suppression of a table of counts.
///
/// - Primary: a count from 1 to `threshold − 1` is suppressed.
/// - Secondary: any ``AdditiveRelations`` relation with exactly one suppressed member gets a second one: the
///   unsuppressed member with the smallest non-zero count (ties: the lowest cell index, a fixed order of period,
///   delprojekt, gender, insats and indicator). Repeated until no relation has exactly one, so no suppressed
///   count can be recovered from one relation. Zero is never suppressed: a relation whose other members are
///   all known zeros would give the suppressed count away, but then it would be zero itself.
struct DisclosureControl: Sendable {
    var threshold: Int

    /// The method for every cell.
    func suppress(_ counts: [Int], relations: AdditiveRelations) -> [SuppressionMethod] {
        var methods = counts.map { $0 > 0 && $0 < threshold ? SuppressionMethod.primary : .none }
        var queue = Array(0..<relations.count)
        var head = 0
        while head < queue.count {
            let relation = queue[head]
            head += 1
            var suppressed = 0
            var candidate: Int?
            for cell in relations.members(of: relation) {
                if methods[cell] != .none {
                    suppressed += 1
                } else if counts[cell] > 0,
                    candidate.map({ (counts[cell], cell) < (counts[$0], $0) }) ?? true
                {
                    candidate = cell
                }
            }
            guard suppressed == 1, let candidate else { continue }
            methods[candidate] = .secondary
            queue.append(contentsOf: relations.relations(of: candidate))
        }
        return methods
    }
}
