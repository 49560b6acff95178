import Foundation
import MIAContracts
import MIAStats
import MIAWorkerRuntime
import MIAWorkerTestKit

/// A ``StatsHandler`` on a new store (a SQLite file or a PostgreSQL schema) with only its own tables, fed events directly (one savepoint
/// per event, many events per transaction), without Kafka and without the runtime's inbox: the handler's own
/// idempotence is what is tested.
struct StatsStore {
    let handler = StatsHandler()
    let store: any WorkerStore

    init(store kind: TestStore = .sqlite) async throws {
        store = try TestStore.open(kind.freshDatabase())
        try await store.migrate(handler.migrations)
    }

    /// Applies events in order, 500 per transaction.
    func apply(_ events: [CloudEvent]) async throws {
        let handler = handler
        for start in stride(from: 0, to: events.count, by: 500) {
            let batch = Array(events[start..<min(events.count, start + 500)])
            try await store.write { transaction in
                for event in batch {
                    let input = WorkerInput(
                        event: event, topic: event.topic, partition: 0, offset: 0, timestampMilliseconds: nil)
                    _ = try transaction.savepoint { try handler.handle(input, in: transaction) }
                }
            }
        }
    }

    /// The table of the stored facts.
    func table(threshold: Int = 5) async throws -> StatisticsTable {
        let facts = try await store.read { try StatsFacts($0).all() }
        return StatisticsTable(facts: facts, threshold: threshold)
    }
}
