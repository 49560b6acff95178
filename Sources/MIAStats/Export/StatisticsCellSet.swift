import MIAContracts

/// The current statistics as read from `mia.statistics.v1`: the latest cell per key, in a stable order.
///
/// The topic is compacted in production, but the development broker does not compact, so a reader sees every
/// publication of a cell; the last one (highest offset; one key is always on one partition) is current.
public struct StatisticsCellSet: Sendable {
    /// The current cells, sorted by period type (programme, year, quarter, month), period, delprojekt (the six
    /// codes, then `ALL`), gender, insats type and indicator (in table order).
    public let cells: [StatisticsCell]

    /// The latest cell of each key among cells given in publication order (per partition, by offset).
    public init(publicationOrder cells: [StatisticsCell]) {
        var latest: [String: StatisticsCell] = [:]
        for cell in cells { latest[cell.partitionKey] = cell }
        self.cells = latest.values.sorted(by: Self.precedes)
    }

    /// The latest cell of each key among the values of records in publication order; records that are not
    /// statistics cells are skipped and counted.
    public init(records: [[UInt8]]) {
        let decoder = EventDecoder()
        var cells: [StatisticsCell] = []
        var skipped = 0
        for record in records {
            if let event = try? decoder.decode(record), case .statisticsCell(let cell) = event.payload {
                cells.append(cell)
            } else {
                skipped += 1
            }
        }
        self.init(publicationOrder: cells)
        self.skipped = skipped
    }

    /// Records that were not statistics cells.
    public private(set) var skipped = 0

    /// The cells that pass a filter.
    public func filtered(_ filter: StatisticsFilter) -> [StatisticsCell] { cells.filter(filter.includes) }

    static let periodTypeOrder: [StatisticsPeriodType] = [.programme, .year, .quarter, .month]

    static func precedes(_ a: StatisticsCell, _ b: StatisticsCell) -> Bool {
        func rank(_ cell: StatisticsCell) -> [Int] {
            [
                periodTypeOrder.firstIndex(of: cell.periodType) ?? 9,
                StatisticsGrid.delprojekt.firstIndex(of: cell.delprojekt) ?? 99,
                StatisticsGrid.genders.firstIndex(of: cell.breakdown.gender) ?? 9,
                StatisticsGrid.insatser.firstIndex(of: cell.breakdown.insatsType) ?? 99,
                StatisticsGrid.indicators.firstIndex { $0.code == cell.indicator } ?? 999,
            ]
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra[0] != rb[0] { return ra[0] < rb[0] }
        if a.period != b.period { return a.period < b.period }
        if ra != rb { return ra.lexicographicallyPrecedes(rb) }
        return a.indicator < b.indicator
    }
}

/// Which cells an export includes.
public struct StatisticsFilter: Sendable, Hashable {
    /// Only periods of this type, or every type.
    public var periodType: StatisticsPeriodType?
    /// Also each delprojekt, not only the whole programme (`ALL`).
    public var perDelprojekt: Bool

    /// Creates a filter; by default every period type, the whole programme only.
    public init(periodType: StatisticsPeriodType? = nil, perDelprojekt: Bool = false) {
        self.periodType = periodType
        self.perDelprojekt = perDelprojekt
    }

    func includes(_ cell: StatisticsCell) -> Bool {
        (periodType.map { cell.periodType == $0 } ?? true)
            && (perDelprojekt || cell.delprojekt == StatisticsCell.allDelprojekt)
    }
}
