import MIAContracts

/// One published indicator: its code (the `indicator` of a cell), what it counts, and the count its share is
/// taken of.
public struct StatisticsIndicator: Sendable, Hashable {
    /// The code in the record and the key, for example `longTermUnemployed`.
    public let code: String
    /// What is counted: at start (entry), at the period's end (stock), or on leaving (result).
    public let kind: Kind
    /// The reference share MIA reported for this result (MIA Vidare's application), if any.
    public let reference: Double?
    /// Whether a participation counts, given it started (entry) or ended (result) in the period.
    let counts: @Sendable (ParticipationFact) -> Bool

    /// When a participation is counted.
    public enum Kind: String, Sendable, Hashable {
        /// The participation counts in the period of its start; the share is of ``StatisticsIndicator/started``.
        case entry
        /// Counted when running at the period's last day; no share.
        case stock
        /// The participation counts in the period of its end; the share is of ``StatisticsIndicator/ended``.
        case result
    }

    init(
        _ code: String, _ kind: Kind, reference: Double? = nil,
        _ counts: @escaping @Sendable (ParticipationFact) -> Bool
    ) {
        self.code = code
        self.kind = kind
        self.reference = reference
        self.counts = counts
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// Whether the indicator adds up over months, quarters and years (every indicator but the stock).
    public var isFlow: Bool { kind != .stock }
}

extension StatisticsIndicator {
    /// Participations started in the period.
    public static let started = StatisticsIndicator("started", .entry) { _ in true }
    /// Participations running at the period's last day.
    public static let activeAtEnd = StatisticsIndicator("activeAtEnd", .stock) { _ in true }
    /// Participations ended in the period.
    public static let ended = StatisticsIndicator("ended", .result) { _ in true }

    /// Every indicator, in the order of the table.
    public static let all: [StatisticsIndicator] = [started, activeAtEnd, ended] + entry + results

    /// The ESF output indicators at entry.
    static let entry: [StatisticsIndicator] = [
        StatisticsIndicator("unemployed", .entry) { [.unemployed, .longTermUnemployed].contains($0.employmentStatus) },
        StatisticsIndicator("longTermUnemployed", .entry) { $0.employmentStatus == .longTermUnemployed },
        StatisticsIndicator("inactive", .entry) { [.inactive, .inactiveNotInEducation].contains($0.employmentStatus) },
        StatisticsIndicator("inactiveNotInEducation", .entry) { $0.employmentStatus == .inactiveNotInEducation },
        StatisticsIndicator("employed", .entry) { $0.employmentStatus == .employed },
        StatisticsIndicator("below25", .entry) { ($0.age ?? 25) < 25 },
        StatisticsIndicator("above54", .entry) { ($0.age ?? 54) > 54 },
        StatisticsIndicator("above54UnemployedOrInactive", .entry) {
            ($0.age ?? 54) > 54 && $0.employmentStatus != .employed
        },
        StatisticsIndicator("isced0_2", .entry) { $0.educationLevel == .isced0_2 },
        StatisticsIndicator("isced3_4", .entry) { $0.educationLevel == .isced3_4 },
        StatisticsIndicator("isced5_8", .entry) { $0.educationLevel == .isced5_8 },
        StatisticsIndicator("migrantOrForeignBackground", .entry) {
            $0.disadvantages.contains(.migrantOrForeignBackground)
        },
        StatisticsIndicator("disability", .entry) { $0.disadvantages.contains(.disability) },
        StatisticsIndicator("otherDisadvantaged", .entry) { $0.disadvantages.contains(.otherDisadvantaged) },
    ]

    /// The immediate results on leaving.
    static let results: [StatisticsIndicator] = [
        StatisticsIndicator("work", .result) { $0.end?.outcome == .work },
        StatisticsIndicator("studies", .result) { $0.end?.outcome == .studies },
        StatisticsIndicator("workOrStudies", .result, reference: 0.20) {
            $0.end?.outcome == .work || $0.end?.outcome == .studies
        },
        StatisticsIndicator("ordinaryProgramme", .result, reference: 0.33) { $0.end?.outcome == .ordinaryProgramme },
        StatisticsIndicator("jobSeeking", .result) { $0.end?.outcome == .jobSeeking },
        StatisticsIndicator("other", .result) { $0.end?.outcome == .other },
        StatisticsIndicator("interrupted", .result) { $0.end?.outcome == .interrupted },
        StatisticsIndicator("inEducationOrTraining", .result) { $0.end?.inEducationOrTraining == true },
        StatisticsIndicator("gainedQualification", .result) { $0.end?.gainedQualification == true },
        StatisticsIndicator("newlyJobSeeking", .result) { $0.end?.newlyJobSeeking == true },
    ]

    /// The position of an indicator in ``all``.
    static func index(_ code: String) -> Int { all.firstIndex { $0.code == code }! }
}
