import MIABooker
import MIACapacity
import MIAContracts
import MIANotifier
import MIAStats

/// The four workers as the `mia` tool knows them: the topics each reads and writes, taken from the workers'
/// own handlers so that the demo, the benchmarks and the deployment manifests cannot drift from the code.
struct WorkerCatalogue: Sendable, Hashable {
    /// The worker's name: its consumer group, its dead-letter topic's suffix and `mia-<name>`.
    var name: String
    /// The topics it consumes.
    var inputs: [String]
    /// The topics it produces to, besides its dead-letter topic.
    var outputs: [String]
    /// What the worker does, in one line.
    var summary: String

    /// The executable.
    var executable: String { "mia-\(name)" }
    /// Its dead-letter topic.
    var deadLetterTopic: String { TopicRegistry.deadLetter(worker: name) }

    /// Every worker, in the order of `TopicRegistry.workers`.
    static let all: [WorkerCatalogue] = [
        WorkerCatalogue(
            name: "notifier", inputs: NotifierHandler().inputTopics, outputs: NotifierHandler().outputTopics,
            summary: "Notifications to handläggare, once each."),
        WorkerCatalogue(
            name: "booker", inputs: BookerHandler().inputTopics, outputs: BookerHandler().outputTopics,
            summary: "Trepartsmöten and follow-up meetings, never double-booked."),
        WorkerCatalogue(
            name: "capacity", inputs: CapacityHandler().inputTopics, outputs: CapacityHandler().outputTopics,
            summary: "ASF places, reservations and waitlists, never overbooked."),
        WorkerCatalogue(
            name: "stats", inputs: StatsHandler().inputTopics, outputs: StatsHandler().outputTopics,
            summary: "ESF statistics with disclosure control."),
    ]

    /// The worker with this name.
    static func named(_ name: String) -> WorkerCatalogue? { all.first { $0.name == name } }
}
