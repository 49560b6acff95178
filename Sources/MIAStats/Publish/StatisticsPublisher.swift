import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import ServiceLifecycle
import Synchronization

/// Recomputes the statistics from the stored facts and publishes the cells that changed: a `Service` beside the
/// `WorkerRuntime` of `mia-stats`, on the same store.
///
/// Every ``StatisticsPublisherConfiguration/interval`` it compares the facts' revision with the revision last
/// published; once the facts have changed and then been quiet for an interval (or changed for
/// ``StatisticsPublisherConfiguration/maxDelay``), it computes the whole ``StatisticsTable`` (small: a few
/// thousand participations), compares every cell with `stats_published`, and queues the changed ones for the
/// runtime's outbox relay. Cells that were never published and count zero are left out: a key missing from the
/// topic is a zero.
///
/// Replicas sharing a store publish one at a time, under the `statistics-publisher` ``StoreLease``: a
/// publication starts from what the previous one wrote, so a slower replica's older figures can never land
/// after newer ones. Every write of a publication renews the lease and stops if it was lost; the revision
/// published is recorded with the last write, so a publication cut short (a replica killed) is redone by the
/// next holder.
///
/// - Important: The records are relayed by the `WorkerRuntime` sharing the store; run both in one
///   `ServiceGroup`.
public struct StatisticsPublisher: Service {
    let store: any WorkerStore
    let configuration: StatisticsPublisherConfiguration
    let logger: Logger
    /// This process's claim to publish.
    let lease: StoreLease

    /// Creates the service.
    /// - Parameters:
    ///   - store: The worker's store, shared with its `WorkerRuntime`.
    ///   - configuration: Threshold and interval.
    ///   - logger: Logs counts of cells, never participant data.
    public init(store: any WorkerStore, configuration: StatisticsPublisherConfiguration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        // Long enough for a recomputation between two renewals; a dead holder delays publication this long.
        lease = StoreLease(
            name: "statistics-publisher", owner: "stats-\(UUID().uuidString.lowercased())", duration: .seconds(60))
    }

    /// One publication: the facts' revision it brought the topic up to, and the cells it queued.
    public struct Publication: Sendable, Hashable {
        /// The revision of the facts published.
        public var revision: Int64
        /// Cells queued because they changed.
        public var cells: Int
    }

    /// Publishes until graceful shutdown.
    public func run() async throws {
        try await store.migrate(StatsTables.migrations)
        let stopping = Atomic<Bool>(false)
        var schedule = PublicationSchedule(maxDelay: configuration.maxDelay)
        await withGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                do {
                    let (revision, published) = try await store.read { transaction in
                        let facts = StatsFacts(transaction)
                        return (try facts.revision(), try facts.publishedRevision())
                    }
                    schedule.observe(published: published)
                    // When another replica holds the lease, it publishes; this one looks again next interval.
                    if schedule.shouldPublish(revision: revision, at: .now),
                        let publication = try await publishChanges()
                    {
                        schedule.didPublish(revision: publication.revision)
                        if publication.cells > 0 {
                            logger.info("statistics published", metadata: ["cells": "\(publication.cells)"])
                        }
                    }
                } catch {
                    logger.warning("statistics publication failed; will retry", metadata: ["error": "\(error)"])
                }
                // Sleep in short steps, so that a shutdown does not wait out a long interval.
                let wake = ContinuousClock.now + configuration.interval
                while ContinuousClock.now < wake && !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    try? await Task.sleep(for: min(.milliseconds(100), wake - ContinuousClock.now))
                }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
        }
    }

    /// Computes the table from the current facts and queues every cell that differs from its last publication,
    /// if this process can take the publisher's lease.
    /// - Returns: The publication, or `nil` when another replica holds the lease.
    @discardableResult
    public func publishChanges() async throws -> Publication? {
        let lease = self.lease
        guard try await store.write({ try $0.acquire(lease) }) else { return nil }
        do {
            let publication = try await publishHoldingLease()
            try? await store.write { try $0.release(lease) }
            return publication
        } catch {
            try? await store.write { try $0.release(lease) }
            throw error
        }
    }

    private func publishHoldingLease() async throws -> Publication {
        // The revision is read with the facts, in one snapshot.
        let (facts, revision) = try await store.read { transaction in
            let facts = StatsFacts(transaction)
            return (try facts.all(), try facts.revision())
        }
        let table = StatisticsTable(facts: facts, threshold: configuration.threshold)
        let eventEncoder = EventEncoder()
        let now = Date()
        var changes: [(key: String, record: String, version: Int64, message: KafkaProducerMessage)] = []
        var queued = 0
        // The grid a few thousand cells at a time, each with its last publication: never every published record
        // in memory at once (a national grid has hundreds of thousands of cells).
        for start in stride(from: 0, to: table.count, by: Self.transactionSize) {
            let indices = start..<min(start + Self.transactionSize, table.count)
            let cells = indices.map(table.cell(at:))
            let keys = cells.map(\.partitionKey)
            let previous = try await store.read { transaction in
                var records: [String: Published] = [:]
                let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
                for row in try transaction.query(
                    "SELECT cell_key, record, version FROM stats_published WHERE cell_key IN (\(marks))",
                    keys.map { .text($0) })
                {
                    if let key = row["cell_key"].text, let record = row["record"].text {
                        records[key] = Published(signature: record, version: row["version"].integer ?? 0)
                    }
                }
                return records
            }
            for (offset, cell) in cells.enumerated() {
                let key = keys[offset]
                let last = previous[key]
                if last == nil && table.isZero(at: indices.lowerBound + offset) { continue }
                // Compare a compact signature, not the JSON: most cells are unchanged, and encoding them all is
                // the costliest step of a recomputation.
                let record = Self.signature(cell)
                if let last, last.signature == record { continue }
                let version = (last?.version ?? 0) + 1
                let id = Self.outputId(key: key, version: version)
                let event = CloudEvent(
                    id: id, source: "urn:mia:worker:stats", time: now, payload: .statisticsCell(cell))
                changes.append(
                    (
                        key, record, version,
                        KafkaProducerMessage(
                            topic: TopicRegistry.statistics, key: event.subject,
                            value: try eventEncoder.bytes(of: event),
                            headers: [KafkaHeader(name: "content-type", string: "application/cloudevents+json")])
                    ))
                // Written a few thousand at a time, so that a first publication of every cell never holds all
                // of their messages at once.
                if changes.count == Self.transactionSize {
                    try await save(changes)
                    queued += changes.count
                    changes.removeAll(keepingCapacity: true)
                }
            }
        }
        try await save(changes, publishing: revision)
        return Publication(revision: revision, cells: queued + changes.count)
    }

    /// Cells per transaction of a publication.
    static let transactionSize = 2000

    /// Records changed cells and queues their messages, in one transaction that renews the lease (and fails if
    /// it was lost). Multi-row statements: the store's write lock is never held for long, and a networked
    /// database is not paid a round trip per cell. Each cell's record and its outbox row commit together; the
    /// last batch of a publication records the revision published.
    private func save(
        _ batch: [(key: String, record: String, version: Int64, message: KafkaProducerMessage)],
        publishing revision: Int64? = nil
    ) async throws {
        guard !batch.isEmpty || revision != nil else { return }
        let lease = self.lease
        try await store.write { transaction in
            guard try transaction.acquire(lease) else { throw LeaseLost() }
            if let revision { try StatsFacts(transaction).setPublishedRevision(revision) }
            for chunk in stride(from: 0, to: batch.count, by: 300) {
                let rows = batch[chunk..<min(chunk + 300, batch.count)]
                try transaction.execute(
                    "INSERT INTO stats_published (cell_key, record, version) VALUES "
                        + Array(repeating: "(?, ?, ?)", count: rows.count).joined(separator: ", ")
                        + " ON CONFLICT (cell_key) DO UPDATE SET record = excluded.record, version = excluded.version",
                    rows.flatMap { [.text($0.key), .text($0.record), .integer($0.version)] })
            }
            try transaction.enqueueForRelay(batch.map { (Self.outputId(key: $0.key, version: $0.version), $0.message) })
        }
    }

    /// Another replica took the lease during a publication (this one stalled past its duration): the rest of
    /// the publication is its to do.
    struct LeaseLost: Error, CustomStringConvertible {
        var description: String { "the statistics publisher's lease passed to another replica" }
    }

    /// The last publication of a cell.
    struct Published: Sendable {
        var signature: String
        var version: Int64
    }

    /// What distinguishes one publication of a cell from another (the key gives the rest).
    static func signature(_ cell: StatisticsCell) -> String {
        let value = cell.value.map(String.init) ?? "-"
        let share = cell.share.map { "\($0)" } ?? "-"
        let reference = cell.reference.map { "\($0)" } ?? "-"
        return "\(value)|\(share)|\(cell.suppressionMethod.rawValue)|\(cell.threshold)|\(reference)"
    }

    /// The event id of a cell's n-th publication: UUIDv5 of key and version.
    static func outputId(key: String, version: Int64) -> String {
        UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "statistics/\(key)/\(version)").uuidString.lowercased()
    }
}
