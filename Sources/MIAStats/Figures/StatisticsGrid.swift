import MIAContracts

/// The shape of the statistics table: every period × delprojekt (six and `ALL`) × gender (kvinna, man, total)
/// × insats type (six and `all`) × indicator, each cell at a fixed index of a flat array.
public struct StatisticsGrid: Sendable, Hashable {
    /// January of this year is month 0.
    public let firstYear: Int
    public let periods: [StatisticsPeriod]

    static let delprojekt = Delprojekt.allCases.map(\.rawValue) + [StatisticsCell.allDelprojekt]
    static let genders: [StatisticsGender] = [.kvinna, .man, .total]
    static let insatser = InsatsType.allCases.map(\.rawValue) + [StatisticsCell.allInsatser]
    static let indicators = StatisticsIndicator.all

    /// The index of `ALL`, `total` and `all` in their dimensions.
    static let allDelprojektIndex = Delprojekt.allCases.count
    static let totalGenderIndex = 2
    static let allInsatserIndex = InsatsType.allCases.count

    /// A grid of whole years, `firstYear...lastYear`.
    public init(firstYear: Int, lastYear: Int) {
        self.firstYear = firstYear
        periods = StatisticsPeriod.periods(firstYear: firstYear, lastYear: max(firstYear, lastYear))
    }

    /// The years that hold every start and end of the facts (the current year when there are none).
    public init(covering facts: [ParticipationFact], defaultYear: Int = 2017) {
        let years = facts.flatMap { [$0.start.year] + ($0.end.map { [$0.endDate.year] } ?? []) }
        self.init(firstYear: years.min() ?? defaultYear, lastYear: years.max() ?? defaultYear)
    }

    public var count: Int { periods.count * Self.cellsPerPeriod }

    static let cellsPerPeriod = delprojekt.count * genders.count * insatser.count * indicators.count

    /// The flat index of a cell.
    @inline(__always)
    func index(period: Int, delprojekt: Int, gender: Int, insats: Int, indicator: Int) -> Int {
        (((period * Self.delprojekt.count + delprojekt) * Self.genders.count + gender) * Self.insatser.count + insats)
            * Self.indicators.count + indicator
    }

    /// The coordinates of a flat index.
    func coordinates(_ index: Int) -> (period: Int, delprojekt: Int, gender: Int, insats: Int, indicator: Int) {
        var rest = index
        let indicator = rest % Self.indicators.count
        rest /= Self.indicators.count
        let insats = rest % Self.insatser.count
        rest /= Self.insatser.count
        let gender = rest % Self.genders.count
        rest /= Self.genders.count
        let delprojekt = rest % Self.delprojekt.count
        return (rest / Self.delprojekt.count, delprojekt, gender, insats, indicator)
    }

    /// The month of a date, counted from January of ``firstYear``.
    func month(_ date: CalendarDate) -> Int { (date.year - firstYear) * 12 + date.month - 1 }

    /// The periods that contain a month: its month, quarter, year and the programme.
    func periods(containing month: Int) -> [Int] {
        // 12 months, 4 quarters and 1 year per year, then the programme.
        let years = (periods.count - 1) / 17
        let months = 12 * years
        return [month, months + month / 3, months + 4 * years + month / 12, periods.count - 1]
    }
}
