import MIAKafka
import Synchronization

/// When each assigned partition last made progress, to tell a stalled partition from a quiet one.
///
/// A partition makes progress when records of it are applied or when librdkafka's statistics show it caught up
/// (lag 0). One with records waiting (lag above 0) and no progress for longer than the stall limit is stalled,
/// whatever the cause: a retry that keeps failing, a pause that outlived a rebalance, a fetch that never returns.
final class PartitionProgress: Sendable {
    private struct Entry {
        var since: ContinuousClock.Instant
        var lag: Int64 = 0
    }

    private let entries = Mutex<[TopicPartition: Entry]>([:])

    init() {}

    /// Starts watching newly assigned partitions (their clock starts now); partitions already watched keep theirs.
    func assigned(_ partitions: [TopicPartition], at now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            for partition in partitions where entries[partition] == nil { entries[partition] = Entry(since: now) }
        }
    }

    /// Stops watching partitions this member gave up.
    func revoked(_ partitions: [TopicPartition]) {
        entries.withLock { entries in
            for partition in partitions { entries[partition] = nil }
        }
    }

    /// Records that records of these partitions were applied.
    func progressed(_ partitions: some Sequence<TopicPartition>, at now: ContinuousClock.Instant = .now) {
        entries.withLock { entries in
            for partition in partitions where entries[partition] != nil { entries[partition]?.since = now }
        }
    }

    /// Records a partition's lag from the consumer's statistics; a partition caught up counts as progressing.
    ///
    /// - Returns: Whether the partition is watched (assigned to this member).
    @discardableResult
    func lag(_ partition: TopicPartition, _ lag: Int64, at now: ContinuousClock.Instant = .now) -> Bool {
        entries.withLock { entries in
            guard entries[partition] != nil else { return false }
            entries[partition]?.lag = lag
            if lag == 0 { entries[partition]?.since = now }
            return true
        }
    }

    /// The partitions with records waiting and no progress for longer than `limit`, with how long each has waited.
    ///
    /// - Parameter waiting: Partitions with records consumed and not yet applied. A partition counts as having
    ///   records waiting when it is one of these or its lag is above 0 (librdkafka knows no lag before a first
    ///   offset is stored or committed, so a partition stuck on its very first record shows only here).
    func stalled(
        at now: ContinuousClock.Instant = .now, limit: Duration, waiting: Set<TopicPartition>
    ) -> [(TopicPartition, Duration)] {
        entries.withLock { entries in
            entries.compactMap { partition, entry in
                (entry.lag > 0 || waiting.contains(partition)) && now - entry.since > limit
                    ? (partition, now - entry.since) : nil
            }
            .sorted { $0.0 < $1.0 }
        }
    }
}
