import MIAContracts

/// The published statistics: every cell of a grid with its count, share and disclosure control, computed from
/// the set of participation facts alone.
///
/// The same facts in any order give the same table (cells are in grid order; facts are only counted).
public struct StatisticsTable: Sendable {
    public let grid: StatisticsGrid
    public let threshold: Int
    /// The raw counts, before disclosure control, by flat index. Never published.
    let counts: [Int]
    let methods: [SuppressionMethod]

    /// Counts the facts and applies disclosure control.
    ///
    /// - Parameters:
    ///   - facts: Every participation with a known start (a referral).
    ///   - threshold: The smallest count published; counts from 1 to `threshold − 1` are suppressed.
    public init(facts: [ParticipationFact], threshold: Int) {
        grid = StatisticsGrid(covering: facts)
        self.threshold = threshold
        counts = FigureCounter.count(facts, in: grid)
        methods = DisclosureControl(threshold: threshold).suppress(
            counts, relations: AdditiveRelations.cached(for: grid))
    }

    /// The number of cells.
    public var count: Int { counts.count }

    /// The cell at a flat index, as published.
    public func cell(at index: Int) -> StatisticsCell {
        let at = grid.coordinates(index)
        let period = grid.periods[at.period]
        let indicator = StatisticsGrid.indicators[at.indicator]
        let suppressed = methods[index] != .none
        var share: Double?
        let base: StatisticsIndicator? =
            switch indicator.kind {
            case .entry where indicator != .started: .started
            case .result where indicator != .ended: .ended
            default: nil
            }
        if let base, !suppressed {
            let baseIndex = index - at.indicator + StatisticsIndicator.index(base.code)
            // A share of a suppressed base would give the base away.
            if methods[baseIndex] == .none, counts[baseIndex] > 0 {
                share = (Double(counts[index]) / Double(counts[baseIndex]) * 10_000).rounded() / 10_000
            }
        }
        return StatisticsCell(
            period: period.label, periodType: period.type, delprojekt: StatisticsGrid.delprojekt[at.delprojekt],
            breakdown: StatisticsCell.Breakdown(
                gender: StatisticsGrid.genders[at.gender], insatsType: StatisticsGrid.insatser[at.insats]),
            indicator: indicator.code, value: suppressed ? nil : counts[index], share: share, suppressed: suppressed,
            suppressionMethod: methods[index], threshold: threshold, reference: indicator.reference)
    }

    /// Whether a cell's count is zero (and so need not be published before it ever changes).
    public func isZero(at index: Int) -> Bool { counts[index] == 0 }

    /// Every cell, in grid order.
    public var cells: [StatisticsCell] { (0..<count).map(cell(at:)) }

    /// The cells with a non-zero count, in grid order: what the topic holds (a missing key is a zero).
    public var nonZeroCells: [StatisticsCell] { (0..<count).filter { counts[$0] != 0 }.map(cell(at:)) }
}
