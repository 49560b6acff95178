import MIAKafka

/// A consumed record as the backlog sees it: where it came from.
protocol PartitionedRecord: Sendable {
    var topicPartition: TopicPartition { get }
    var offset: Int64 { get }
}

extension KafkaConsumerMessage: PartitionedRecord {}

/// Records consumed but not yet applied, per partition, with each partition's retry state.
///
/// A partition whose batch failed is *blocked* until its retry time, and the runtime pauses it in the consumer;
/// records of one partition are always applied in offset order, so the order per key holds.
/// A value type without I/O: the runtime acts on what its methods return.
struct PartitionBacklog<Record: PartitionedRecord>: Sendable {
    struct Partition: Sendable {
        var records: [Record] = []
        /// Failed attempts of the records themselves (``FailureKind/record``), bounded by `--max-attempts`.
        var attempts = 0
        /// Failed attempts because of an outage (``FailureKind/infrastructure``): never bounded, only for backoff.
        var outageAttempts = 0
        var retryAt: ContinuousClock.Instant?

        var isBlocked: Bool { retryAt != nil }
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

    mutating func append(_ records: [Record]) {
        for record in records {
            partitions[record.topicPartition, default: Partition()].records.append(record)
        }
    }

    /// The earliest time a blocked partition may be retried.
    var nextRetry: ContinuousClock.Instant? {
        partitions.values.compactMap { $0.records.isEmpty ? nil : $0.retryAt }.min()
    }

    /// Partitions with records not yet applied.
    var waiting: Set<TopicPartition> { Set(partitions.filter { !$0.value.records.isEmpty }.keys) }

    /// Up to `limit` records from the partitions that are not blocked at `now`, oldest first per partition.
    /// The records stay in the backlog until ``succeeded(_:)``.
    func ready(at now: ContinuousClock.Instant, limit: Int) -> [Record] {
        var taken: [Record] = []
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
    mutating func succeeded(_ records: [Record]) -> [TopicPartition] {
        var resumed: [TopicPartition] = []
        for (key, applied) in Dictionary(grouping: records, by: \.topicPartition) {
            guard var partition = partitions[key] else { continue }
            let appliedOffsets = Set(applied.map(\.offset))
            partition.records.removeAll { appliedOffsets.contains($0.offset) }
            if partition.isBlocked || partition.attempts > 0 || partition.outageAttempts > 0 { resumed.append(key) }
            partition.attempts = 0
            partition.outageAttempts = 0
            partition.retryAt = nil
            partitions[key] = partition
        }
        return resumed.sorted()
    }

    /// Records a failure of the given records' partitions.
    ///
    /// A ``FailureKind/record`` failure counts towards `maxAttempts`, after which the partition is *exhausted*; an
    /// ``FailureKind/infrastructure`` failure (the store or the broker unreachable) is retried without limit, so an
    /// outage never turns good records into dead letters.
    mutating func failed(
        _ records: [Record], kind: FailureKind = .record, at now: ContinuousClock.Instant,
        maxAttempts: Int, backoff: Backoff
    ) -> FailureDecision {
        var decision = FailureDecision(pause: [], exhausted: [])
        for key in Set(records.map(\.topicPartition)).sorted() {
            guard var partition = partitions[key] else { continue }
            switch kind {
            case .infrastructure:
                partition.outageAttempts += 1
                partition.retryAt = now + backoff.delay(attempt: partition.outageAttempts)
                decision.pause.append(key)
            case .record:
                partition.attempts += 1
                if partition.attempts >= maxAttempts {
                    // Retried at once, record by record; the retry time of a past attempt must not linger.
                    partition.retryAt = nil
                    decision.exhausted.append(key)
                } else {
                    partition.retryAt = now + backoff.delay(attempt: partition.attempts)
                    decision.pause.append(key)
                }
            }
            partitions[key] = partition
        }
        return decision
    }

    /// The current attempt count of a partition.
    func attempts(of partition: TopicPartition) -> Int { partitions[partition]?.attempts ?? 0 }

    /// Forgets the partitions this member no longer owns (their new owner reads the records again) and the retry
    /// state of partitions left without records.
    ///
    /// - Returns: The assigned partitions that are not waiting for a retry, to resume in the consumer: librdkafka
    ///   keeps an application's pause across a revoke and a re-assignment, so a partition paused for a retry and
    ///   handed back would otherwise never be fetched again.
    mutating func retain(only assigned: Set<TopicPartition>) -> [TopicPartition] {
        partitions = partitions.filter { assigned.contains($0.key) && !$0.value.records.isEmpty }
        return assigned.filter { partitions[$0]?.isBlocked != true }.sorted()
    }
}
