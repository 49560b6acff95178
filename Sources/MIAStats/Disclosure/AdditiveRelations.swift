import Synchronization

/// Every linear relation between published cells from which a suppressed count could be recovered: when all
/// but one member of a relation are known, the last one follows.
///
/// - kvinna + man = total; the six delprojekt sum to `ALL`; the six insats types sum to `all` (a participation
///   has one insats, so this is additive).
/// - The outcome kinds sum to `ended`; work + studies = workOrStudies; unemployed + inactive + employed =
///   started; isced0_2 + isced3_4 + isced5_8 = started.
/// - For the flows (all but activeAtEnd): months sum to their quarter, quarters to their year, years to the
///   programme.
/// - For the stock: activeAtEnd(previous) + started − ended = activeAtEnd of a month, quarter or year; and a
///   quarter's, year's and the programme's activeAtEnd equal those of their last month, quarter and year.
///
/// Stored flat (members of relation `r` are `members[offsets[r]..<offsets[r + 1]]`) with the inverse index,
/// since a six-year grid has hundreds of thousands of relations; as 32-bit integers, which halves what the
/// largest structure of `mia-stats` holds (a grid has far fewer than 2³¹ cells).
struct AdditiveRelations: Sendable {
    private(set) var offsets: [Int32] = [0]
    private(set) var members: [Int32] = []
    /// For each cell, the relations it is a member of (same flat layout).
    private(set) var cellOffsets: [Int32] = []
    private(set) var cellRelations: [Int32] = []

    var count: Int { offsets.count - 1 }

    /// The relations of the last grid asked for: the grid changes only when a new year appears, and building
    /// the relations costs more than counting.
    static func cached(for grid: StatisticsGrid) -> AdditiveRelations {
        cache.withLock { cache in
            if let cache, cache.grid == grid { return cache.relations }
            let relations = AdditiveRelations(grid: grid)
            cache = (grid, relations)
            return relations
        }
    }

    private static let cache = Mutex<(grid: StatisticsGrid, relations: AdditiveRelations)?>(nil)

    func members(of relation: Int) -> LazyMapSequence<ArraySlice<Int32>, Int> {
        members[Int(offsets[relation])..<Int(offsets[relation + 1])].lazy.map(Int.init)
    }

    func relations(of cell: Int) -> LazyMapSequence<ArraySlice<Int32>, Int> {
        cellRelations[Int(cellOffsets[cell])..<Int(cellOffsets[cell + 1])].lazy.map(Int.init)
    }

    private mutating func add(_ cells: [Int]) {
        members += cells.map { Int32($0) }
        offsets.append(Int32(members.count))
    }

    init(grid: StatisticsGrid) {
        let indicators = StatisticsGrid.indicators
        let flows = indicators.indices.filter { indicators[$0].isFlow }
        let code = StatisticsIndicator.index
        let started = code("started")
        let active = code("activeAtEnd")
        let ended = code("ended")
        let outcomes = ["work", "studies", "ordinaryProgramme", "jobSeeking", "other", "interrupted"].map(code)
        let work = code("work")
        let studies = code("studies")
        let workOrStudies = code("workOrStudies")
        let status = ["unemployed", "inactive", "employed"].map(code)
        let isced = ["isced0_2", "isced3_4", "isced5_8"].map(code)
        let delprojekt = 0..<StatisticsGrid.delprojekt.count
        let genders = 0..<StatisticsGrid.genders.count
        let insatser = 0..<StatisticsGrid.insatser.count
        let allD = StatisticsGrid.allDelprojektIndex
        let total = StatisticsGrid.totalGenderIndex
        let allI = StatisticsGrid.allInsatserIndex
        let years = (grid.periods.count - 1) / 17
        let months = 12 * years
        let quarterBase = months
        let yearBase = months + 4 * years
        let programme = grid.periods.count - 1

        for p in grid.periods.indices {
            for d in delprojekt {
                for g in genders {
                    for i in insatser {
                        func cell(_ n: Int) -> Int {
                            grid.index(period: p, delprojekt: d, gender: g, insats: i, indicator: n)
                        }
                        for n in indicators.indices {
                            let at = { (d: Int, g: Int, i: Int) in
                                grid.index(period: p, delprojekt: d, gender: g, insats: i, indicator: n)
                            }
                            if g == total { add([at(d, g, i), at(d, 0, i), at(d, 1, i)]) }
                            if d == allD { add([at(d, g, i)] + delprojekt.dropLast().map { at($0, g, i) }) }
                            if i == allI { add([at(d, g, i)] + insatser.dropLast().map { at(d, g, $0) }) }
                        }
                        add([cell(ended)] + outcomes.map(cell))
                        add([cell(workOrStudies), cell(work), cell(studies)])
                        add([cell(started)] + status.map(cell))
                        add([cell(started)] + isced.map(cell))
                    }
                }
            }
        }
        // Over time: per delprojekt, gender and insats.
        for d in delprojekt {
            for g in genders {
                for i in insatser {
                    func cell(_ p: Int, _ n: Int) -> Int {
                        grid.index(period: p, delprojekt: d, gender: g, insats: i, indicator: n)
                    }
                    for n in flows {
                        for q in 0..<(4 * years) {
                            add([cell(quarterBase + q, n)] + (0..<3).map { cell(3 * q + $0, n) })
                        }
                        for y in 0..<years {
                            add([cell(yearBase + y, n)] + (0..<4).map { cell(quarterBase + 4 * y + $0, n) })
                        }
                        add([cell(programme, n)] + (0..<years).map { cell(yearBase + $0, n) })
                    }
                    for (base, length) in [(0, months), (quarterBase, 4 * years), (yearBase, years)] {
                        for t in 0..<length {
                            let flow = [cell(base + t, active), cell(base + t, started), cell(base + t, ended)]
                            add(t == 0 ? flow : [cell(base + t - 1, active)] + flow)
                        }
                    }
                    for q in 0..<(4 * years) { add([cell(quarterBase + q, active), cell(3 * q + 2, active)]) }
                    for y in 0..<years { add([cell(yearBase + y, active), cell(quarterBase + 4 * y + 3, active)]) }
                    add([cell(programme, active), cell(yearBase + years - 1, active)])
                }
            }
        }
        // The inverse index.
        var degree = [Int32](repeating: 0, count: grid.count + 1)
        for cell in members { degree[Int(cell) + 1] += 1 }
        for cell in 0..<grid.count { degree[cell + 1] += degree[cell] }
        cellOffsets = degree
        var next = degree
        cellRelations = [Int32](repeating: 0, count: members.count)
        for relation in 0..<count {
            for cell in members(of: relation) {
                cellRelations[Int(next[cell])] = Int32(relation)
                next[cell] += 1
            }
        }
    }
}
