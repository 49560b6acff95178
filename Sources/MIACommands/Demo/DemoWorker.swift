import MIACapacity
import MIAContracts
import MIANotifier

/// One worker the demo runs: its executable, replicas and input topics.
struct DemoWorker: Sendable, Hashable {
    /// The worker's name, which is also its consumer group and dead-letter suffix (`booker`).
    var name: String
    /// How many replicas to run; they share one store.
    var replicas: Int
    /// The topics it consumes.
    var inputs: [String]
    /// Options added to the runtime's.
    var arguments: [String] = []

    /// The executable, `mia-<name>`.
    var executable: String { "mia-\(name)" }
    /// Its dead-letter topic.
    var deadLetterTopic: String { TopicRegistry.deadLetter(worker: name) }

    /// The demo's workers, in start order; two replicas of mia-capacity show that each worker scales alone.
    static func all(bookerConfiguration: String) -> [DemoWorker] {
        [
            DemoWorker(name: "capacity", replicas: 2, inputs: CapacityHandler().inputTopics),
            DemoWorker(
                name: "booker", replicas: 1,
                inputs: [
                    TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome, TopicRegistry.calendar,
                    TopicRegistry.request,
                ],
                arguments: ["--config", bookerConfiguration]),
            DemoWorker(
                name: "stats", replicas: 1,
                inputs: [TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome]),
            DemoWorker(name: "notifier", replicas: 1, inputs: NotifierHandler().inputTopics),
        ]
    }
}
