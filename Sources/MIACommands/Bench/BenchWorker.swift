import MIABooker
import MIACapacity
import MIAContracts
import MIANotifier
import MIAStats

/// One worker `mia bench` measures: an entry of the table in ``all``.
///
/// Each worker runs alone on a fresh development broker that holds exactly its ``load``, in its own consumer
/// group (its name), from a cold start until its group has no lag. Adding a worker is adding an entry.
struct BenchWorker: Sendable, Hashable {
    /// What the run of a worker reports.
    enum Measurement: String, Sendable, Hashable {
        /// A backlog of the bench's referrals: messages per second next to `kcat -C -G` on the same topics, and
        /// peak RSS.
        case consume
        /// A rebuild from the replay set (about 1,000,000 events): events per second, and peak RSS.
        case replay
    }

    /// The worker's name: its consumer group, its store's file name, `mia-<name>`.
    var name: String
    /// The topics it consumes; its lag is measured over these, and `kcat` reads the same ones.
    var inputs: [String]
    /// Record sets the worker consumes before the measured run, in a first run of its own on the same store
    /// (state it needs, such as ASF capacity, so that the backlog is not retried for want of it).
    var preload: [BenchDataset] = []
    /// The backlog of the measured run: record sets put on its broker before it starts.
    var load: [BenchDataset]
    /// Options added to the shared worker options.
    var arguments: [String] = []
    /// What its run reports.
    var measurement: Measurement = .consume

    /// The executable, `mia-<name>`.
    var executable: String { "mia-\(name)" }

    /// The workers, in run order.
    static func all() -> [BenchWorker] {
        [
            BenchWorker(name: "notifier", inputs: NotifierHandler().inputTopics, load: [.referrals]),
            // The ASF capacity first, so that the ASF anvisningar find their places instead of being retried.
            BenchWorker(
                name: "capacity", inputs: CapacityHandler().inputTopics, preload: [.asfCapacity], load: [.referrals]),
            // Staff busy periods first, as a running booker would have them.
            BenchWorker(
                name: "booker", inputs: BookerHandler().inputTopics, preload: [.calendarBusy], load: [.referrals],
                arguments: ["--config", "config/booker.json"]),
            BenchWorker(
                name: "stats", inputs: StatsHandler().inputTopics,
                load: [.replayReferrals, .replayFollowups, .replayOutcomes], arguments: ["--publish-interval", "1"],
                measurement: .replay),
        ]
    }
}
