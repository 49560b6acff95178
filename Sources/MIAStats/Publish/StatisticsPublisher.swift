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
/// Every ``StatisticsPublisherConfiguration/interval`` it checks the facts' revision; when it moved, it computes
/// the whole ``StatisticsTable`` (small: a few thousand participations), compares every cell with
/// `stats_published`, and queues the changed ones for the runtime's outbox relay in one transaction. Cells that
/// were never published and count zero are left out: a key missing from the topic is a zero.
///
/// - Important: The records are relayed by the `WorkerRuntime` sharing the store; run both in one
///   `ServiceGroup`.
public struct StatisticsPublisher: Service {
    let store: any WorkerStore
    let configuration: StatisticsPublisherConfiguration
    let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - store: The worker's store, shared with its `WorkerRuntime`.
    ///   - configuration: Threshold and interval.
    ///   - logger: Logs counts of cells, never participant data.
    public init(store: any WorkerStore, configuration: StatisticsPublisherConfiguration, logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// Publishes until graceful shutdown.
    public func run() async throws {
        try await store.migrate(StatsTables.migrations)
        let stopping = Atomic<Bool>(false)
        var published: Int64?
        await withGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                do {
                    let revision = try await store.read { try StatsFacts($0).revision() }
                    if revision != published {
                        let changed = try await publishChanges()
                        published = revision
                        if changed > 0 { logger.info("statistics published", metadata: ["cells": "\(changed)"]) }
                    }
                } catch {
                    logger.warning("statistics publication failed; will retry", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: configuration.interval)
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
        }
    }

    /// Computes the table from the current facts and queues every cell that differs from its last publication.
    /// - Returns: The number of cells queued.
    @discardableResult
    public func publishChanges() async throws -> Int {
        let facts = try await store.read { try StatsFacts($0).all() }
        let table = StatisticsTable(facts: facts, threshold: configuration.threshold)
        let previous = try await store.read { transaction in
            var records: [String: (record: String, version: Int64)] = [:]
            for row in try transaction.query("SELECT cell_key, record, version FROM stats_published", []) {
                if let key = row["cell_key"].text, let record = row["record"].text {
                    records[key] = (record, row["version"].integer ?? 0)
                }
            }
            return records.mapValues { [$0.record, String($0.version)] }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let eventEncoder = EventEncoder()
        let now = Date()
        var changes: [(key: String, record: String, version: Int64, message: KafkaProducerMessage)] = []
        for index in 0..<table.count {
            let cell = table.cell(at: index)
            let key = cell.partitionKey
            let last = previous[key]
            if last == nil && table.isZero(at: index) { continue }
            let record = String(decoding: try encoder.encode(cell), as: UTF8.self)
            if let last, last[0] == record { continue }
            let version = (last.flatMap { Int64($0[1]) } ?? 0) + 1
            let id = Self.outputId(key: key, version: version)
            let event = CloudEvent(id: id, source: "urn:mia:worker:stats", time: now, payload: .statisticsCell(cell))
            changes.append(
                (
                    key, record, version,
                    KafkaProducerMessage(
                        topic: TopicRegistry.statistics, key: event.subject,
                        value: Array(try eventEncoder.encode(event)),
                        headers: [KafkaHeader(name: "content-type", string: "application/cloudevents+json")])
                ))
        }
        guard !changes.isEmpty else { return 0 }
        let batch = changes
        try await store.write { transaction in
            for change in batch {
                try transaction.execute(
                    """
                    INSERT INTO stats_published (cell_key, record, version) VALUES (?, ?, ?)
                    ON CONFLICT (cell_key) DO UPDATE SET record = excluded.record, version = excluded.version
                    """, [.text(change.key), .text(change.record), .integer(change.version)])
                try transaction.enqueueForRelay(
                    id: Self.outputId(key: change.key, version: change.version), change.message)
            }
        }
        return batch.count
    }

    /// The event id of a cell's n-th publication: UUIDv5 of key and version.
    static func outputId(key: String, version: Int64) -> String {
        UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "statistics/\(key)/\(version)").uuidString.lowercased()
    }
}
