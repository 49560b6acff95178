import MIAContracts

/// A period of the statistics: a month, a quarter, a year or the whole programme, as a range of months
/// counted from January of the grid's first year.
public struct StatisticsPeriod: Sendable, Hashable {
    public var type: StatisticsPeriodType
    /// `2018-03`, `2018-Q2`, `2018` or `all`.
    public var label: String
    /// The first and last month of the period, counted from January of the grid's first year.
    public var firstMonth: Int
    public var lastMonth: Int

    /// The periods of whole years `firstYear...lastYear`: the months, then the quarters, the years, and the
    /// programme; a sum over a shorter kind always stays inside one longer period.
    static func periods(firstYear: Int, lastYear: Int) -> [StatisticsPeriod] {
        let years = lastYear - firstYear + 1
        var periods: [StatisticsPeriod] = []
        for month in 0..<(12 * years) {
            let label = "\(firstYear + month / 12)-\(month % 12 < 9 ? "0" : "")\(month % 12 + 1)"
            periods.append(StatisticsPeriod(type: .month, label: label, firstMonth: month, lastMonth: month))
        }
        for quarter in 0..<(4 * years) {
            periods.append(
                StatisticsPeriod(
                    type: .quarter, label: "\(firstYear + quarter / 4)-Q\(quarter % 4 + 1)", firstMonth: 3 * quarter,
                    lastMonth: 3 * quarter + 2))
        }
        for year in 0..<years {
            periods.append(
                StatisticsPeriod(
                    type: .year, label: "\(firstYear + year)", firstMonth: 12 * year, lastMonth: 12 * year + 11))
        }
        periods.append(StatisticsPeriod(type: .programme, label: "all", firstMonth: 0, lastMonth: 12 * years - 1))
        return periods
    }
}
