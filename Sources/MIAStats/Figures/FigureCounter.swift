import MIAContracts

/// Counts the facts into every cell of a grid, before disclosure control: a pure function of the set of facts.
///
/// Counting rules:
/// - The unit is a participation (a referral): a person in two insatser counts in each, as in SUS.
/// - A participation counts as started, and in the entry indicators, in the month of its planned start; as
///   ended, and in the result indicators, in the month of its end date (an end before the start counts in
///   the start's month); as active at a period's end when it started in or before the period's last month
///   and had not ended by then.
/// - Each participation counts in its own delprojekt, gender and insats type and in `ALL`, `total` and `all`.
enum FigureCounter {
    static func count(_ facts: [ParticipationFact], in grid: StatisticsGrid) -> [Int] {
        var counts = [Int](repeating: 0, count: grid.count)
        let indicators = StatisticsGrid.indicators
        let entry = indicators.indices.filter { indicators[$0].kind == .entry }
        let result = indicators.indices.filter { indicators[$0].kind == .result }
        let active = StatisticsIndicator.index(StatisticsIndicator.activeAtEnd.code)
        for fact in facts {
            let delprojekt = [Delprojekt.allCases.firstIndex(of: fact.delprojekt)!, StatisticsGrid.allDelprojektIndex]
            let genders = [fact.gender == .kvinna ? 0 : 1, StatisticsGrid.totalGenderIndex]
            let insatser = [InsatsType.allCases.firstIndex(of: fact.insatsType)!, StatisticsGrid.allInsatserIndex]
            func add(period: Int, indicator: Int) {
                for d in delprojekt {
                    for g in genders {
                        for i in insatser {
                            counts[
                                grid.index(period: period, delprojekt: d, gender: g, insats: i, indicator: indicator)] +=
                                1
                        }
                    }
                }
            }
            let startMonth = grid.month(fact.start)
            let counted = entry.filter { indicators[$0].counts(fact) }
            for period in grid.periods(containing: startMonth) {
                for indicator in counted { add(period: period, indicator: indicator) }
            }
            var endMonth: Int?
            if let end = fact.end {
                let month = max(startMonth, grid.month(end.endDate))
                endMonth = month
                let results = result.filter { indicators[$0].counts(fact) }
                for period in grid.periods(containing: month) {
                    for indicator in results { add(period: period, indicator: indicator) }
                }
            }
            for (index, period) in grid.periods.enumerated()
            where startMonth <= period.lastMonth && (endMonth.map { $0 > period.lastMonth } ?? true) {
                add(period: index, indicator: active)
            }
        }
        return counts
    }
}
