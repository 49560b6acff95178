import MIAContracts

/// A set of records the bench generates, publishes once through `mia publish` and keeps as final payloads
/// (key and CloudEvent bytes), to put on a worker's broker with `kcat -P`.
struct BenchDataset: Sendable, Hashable, CustomStringConvertible {
    /// The agency input kind `mia publish` is given.
    var kind: InputRecordKind
    /// The file name of its payloads, without extension.
    var name: String
    /// Whether it is the replay set (published only when a replay worker is available).
    var isReplay: Bool

    /// The bench's referrals: the volume of the publish and consume runs.
    static let referrals = BenchDataset(kind: .referral, name: "referral", isReplay: false)
    /// Every ASF capacity declaration of the simulated programme.
    static let asfCapacity = BenchDataset(kind: .asfCapacity, name: "asf-capacity", isReplay: false)
    /// Every staff busy period of the simulated programme.
    static let calendarBusy = BenchDataset(kind: .calendarBusy, name: "calendar-busy", isReplay: false)
    /// The replay set's referrals.
    static let replayReferrals = BenchDataset(kind: .referral, name: "replay-referral", isReplay: true)
    /// The replay set's follow-ups.
    static let replayFollowups = BenchDataset(kind: .followup, name: "replay-followup", isReplay: true)
    /// The replay set's outcomes.
    static let replayOutcomes = BenchDataset(kind: .outcome, name: "replay-outcome", isReplay: true)

    /// The topic its records go to.
    var topic: String { kind.eventType.topic }

    var description: String { name }
}
