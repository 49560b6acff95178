import MIAKafka

/// Records consumed but not yet applied, per partition, with each partition's retry state.
///
/// A partition whose batch failed transiently is *blocked* until its retry time, and the runtime pauses it in
/// the consumer; records of one partition are always applied in offset order, so the order per key holds.
/// A value type without I/O: the runtime acts on what its methods return.
struct PartitionBacklog: Sendable {
    struct Partition: Sendable {
        var records: [KafkaConsumerMessage] = []
        var attempts = 0
        var retryAt: ContinuousClock.Instant?
    }

    /// What to do after a failed attempt.
    struct FailureDecision: Sendable, Equatable {
        /// Partitions to pause until their retry time.
        var pause: [TopicPartition]
        /// Partitions that used up their attempts: dead-letter the records taken from them.
        var exhausted: [TopicPartition]
    }

    private(set) var partitions: [TopicPartition: Partition] = [:]

    var count: Int { partitions.values.reduce(0) { $0 + $1.records.count } }
    var isEmpty: Bool { partitions.values.allSatisfy { $0.records.isEmpty } }

    mutating func append(_ records: [KafkaConsumerMessage]) {
        for record in records {
            partitions[record.topicPartition, default: Partition()].records.append(record)
        }
    }

    /// The earliest time a blocked partition may be retried.
    var nextRetry: ContinuousClock.Instant? {
        partitions.values.compactMap { $0.records.isEmpty ? nil : $0.retryAt }.min()
    }

    /// Up to `limit` records from the partitions that are not blocked at `now`, oldest first per partition.
    /// The records stay in the backlog until ``succeeded(_:)``.
    func ready(at now: ContinuousClock.Instant, limit: Int) -> [KafkaConsumerMessage] {
        var taken: [KafkaConsumerMessage] = []
        for key in partitions.keys.sorted() {
            guard let partition = partitions[key], !partition.records.isEmpty else { continue }
            if let retryAt = partition.retryAt, retryAt > now { continue }
            taken += partition.records.prefix(limit - taken.count)
            if taken.count >= limit { break }
        }
        return taken
    }

    /// Removes applied records and clears their partitions' retry state.
    ///
    /// - Returns: Partitions that were blocked and may now be resumed.
    mutating func succeeded(_ records: [KafkaConsumerMessage]) -> [TopicPartition] {
        var resumed: [TopicPartition] = []
        for (key, applied) in Dictionary(grouping: records, by: \.topicPartition) {
            guard var partition = partitions[key] else { continue }
            let appliedOffsets = Set(applied.map(\.offset))
            partition.records.removeAll { appliedOffsets.contains($0.offset) }
            if partition.attempts > 0 { resumed.append(key) }
            partition.attempts = 0
            partition.retryAt = nil
            partitions[key] = partition
        }
        return resumed.sorted()
    }

    /// Records a transient failure of the given records' partitions.
    mutating func failed(
        _ records: [KafkaConsumerMessage], at now: ContinuousClock.Instant, maxAttempts: Int, backoff: Backoff
    ) -> FailureDecision {
        var decision = FailureDecision(pause: [], exhausted: [])
        for key in Set(records.map(\.topicPartition)).sorted() {
            guard var partition = partitions[key] else { continue }
            partition.attempts += 1
            if partition.attempts >= maxAttempts {
                decision.exhausted.append(key)
            } else {
                partition.retryAt = now + backoff.delay(attempt: partition.attempts)
                decision.pause.append(key)
            }
            partitions[key] = partition
        }
        return decision
    }

    /// The current attempt count of a partition.
    func attempts(of partition: TopicPartition) -> Int { partitions[partition]?.attempts ?? 0 }

    /// Forgets partitions this member no longer owns; their new owner reads the records again.
    mutating func retain(only assigned: Set<TopicPartition>) {
        partitions = partitions.filter { assigned.contains($0.key) }
    }
}
