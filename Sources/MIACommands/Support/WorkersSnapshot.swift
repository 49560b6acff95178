import MIAKafka

/// One look at a set of workers from outside: each consumer group's progress and the records some topics hold.
///
/// Two equal looks in a row with no lag mean the workers have caught up and their outbox relays and publishers
/// have gone quiet: what `mia demo` and the scale-out test wait for.
struct WorkersSnapshot: Sendable, Equatable {
    /// Each group's progress, by group id (the worker's name).
    var progress: [String: GroupProgress]
    /// Records held per topic (high minus low watermark, summed over partitions).
    var records: [String: Int64]

    /// The lag of every group together.
    var lag: Int64 { progress.values.reduce(0) { $0 + $1.lag } }

    /// Reads the progress of the groups and the sizes of the topics.
    /// - Parameters:
    ///   - groups: Each group id with its input topics.
    ///   - topics: The topics whose records to count, such as outputs and dead-letter topics.
    static func read(
        groups: [(group: String, inputs: [String])], topics: [String], kafka: KafkaConfiguration
    ) throws(KafkaError) -> WorkersSnapshot {
        var snapshot = WorkersSnapshot(progress: [:], records: [:])
        for (group, inputs) in groups {
            snapshot.progress[group] = try GroupProgress.read(group: group, topics: inputs, kafka: kafka)
        }
        let admin = try KafkaAdmin(configuration: kafka, logger: CommandLogging.logger("mia.workers-snapshot"))
        let partitions = try admin.listTopics()
        for topic in topics {
            var sum: Int64 = 0
            for partition in 0..<Int32(partitions[topic] ?? 0) {
                let marks = try admin.watermarks(topic: topic, partition: partition)
                sum += marks.high - marks.low
            }
            snapshot.records[topic] = sum
        }
        return snapshot
    }

    /// Whether the workers have nothing left: no lag, and the topics held the same records a look ago.
    func isQuiet(after previous: WorkersSnapshot?) -> Bool {
        lag == 0 && records == previous?.records
    }
}
