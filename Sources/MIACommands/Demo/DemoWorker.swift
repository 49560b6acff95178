import MIAContracts

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
        let replicas = ["capacity": 2]
        let arguments = [
            // Smaller batches keep a replica's write lock on the shared SQLite file short.
            "booker": ["--config", bookerConfiguration, "--batch-size", "100"],
            // Publish the statistics as soon as the input has been quiet for a second.
            "stats": ["--publish-interval", "1"],
        ]
        let order = ["capacity", "booker", "stats", "notifier"]
        return order.compactMap(WorkerCatalogue.named).map { worker in
            DemoWorker(
                name: worker.name, replicas: replicas[worker.name] ?? 1, inputs: worker.inputs,
                arguments: arguments[worker.name] ?? [])
        }
    }
}
