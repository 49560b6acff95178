import MIAContracts

/// What a simulation contains and how it was made; written as `manifest.json`.
public struct SimulationManifest: Sendable, Hashable, Codable {
    /// The seed.
    public var seed: UInt64
    /// The number of distinct participants.
    public var participants: Int
    /// The first simulated day.
    public var from: CalendarDate
    /// The last simulated day.
    public var to: CalendarDate
    /// The share of records preceded by a faulty version.
    public var faultRate: Double
    /// Valid records per file name, for example `referral.ndjson`.
    public var records: [String: Int]
    /// Lines per file name, valid and faulty.
    public var lines: [String: Int]
    /// The number of faulty lines over all files.
    public var faults: Int
    /// Outcomes per ``OutcomeKind`` raw value.
    public var outcomes: [String: Int]

    /// Creates a manifest.
    public init(
        seed: UInt64, participants: Int, from: CalendarDate, to: CalendarDate, faultRate: Double,
        records: [String: Int], lines: [String: Int], faults: Int, outcomes: [String: Int]
    ) {
        self.seed = seed
        self.participants = participants
        self.from = from
        self.to = to
        self.faultRate = faultRate
        self.records = records
        self.lines = lines
        self.faults = faults
        self.outcomes = outcomes
    }
}
