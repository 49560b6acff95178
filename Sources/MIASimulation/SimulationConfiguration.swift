import MIAContracts

/// What ``ProgrammeSimulator`` generates: how many participants, over which period, from which seed and
/// with how many faulty records.
///
/// The defaults describe MIA itself: 2,500 participants over the programme period 2017-01-01 to
/// 2020-08-31, seed 1, no faults.
public struct SimulationConfiguration: Sendable, Hashable {
    /// The number of distinct participants (personnummer). About a tenth get a second referral.
    public var participants: Int
    /// The first day of the simulated period; the first decisions and capacity declarations fall on it.
    public var from: CalendarDate
    /// The last day of the simulated period; nothing happens after it, and referrals still running on it
    /// have no outcome.
    public var to: CalendarDate
    /// The seed; the same seed and parameters always give byte-identical output.
    public var seed: UInt64
    /// The share of records, `0...1`, preceded by a faulty version of themselves, as when an agency
    /// system first sends a broken record and then the corrected one.
    public var faultRate: Double

    /// The fault rate `mia simulate --faults` uses: 2 %.
    public static let defaultFaultRate = 0.02

    /// Creates a configuration.
    /// - Parameters:
    ///   - participants: The number of distinct participants; default 2,500.
    ///   - from: The first day; default 2017-01-01.
    ///   - to: The last day; default 2020-08-31.
    ///   - seed: The seed; default 1.
    ///   - faultRate: The share of records preceded by a faulty version, `0...1`; default 0.
    public init(
        participants: Int = 2500,
        from: CalendarDate = CalendarDate(year: 2017, month: 1, day: 1)!,
        to: CalendarDate = CalendarDate(year: 2020, month: 8, day: 31)!,
        seed: UInt64 = 1,
        faultRate: Double = 0
    ) {
        self.participants = participants
        self.from = from
        self.to = to
        self.seed = seed
        self.faultRate = faultRate
    }

    /// The shortest period a simulation accepts, in days: room for a decision, a start and an end.
    public static let minimumPeriodDays = 90

    /// Checks the parameters.
    /// - Throws: ``SimulationError`` when the participant count is negative, the period is shorter than
    ///   ``minimumPeriodDays`` or the fault rate is outside `0...1`.
    public func validate() throws(SimulationError) {
        guard participants >= 0 else {
            throw SimulationError(.invalidConfiguration, "participants must not be negative")
        }
        guard SimulationDay(from).distance(to: SimulationDay(to)) >= Self.minimumPeriodDays else {
            throw SimulationError(
                .invalidConfiguration, "the period must span at least \(Self.minimumPeriodDays) days")
        }
        guard faultRate >= 0, faultRate <= 1 else {
            throw SimulationError(.invalidConfiguration, "the fault rate must be between 0 and 1")
        }
    }
}
