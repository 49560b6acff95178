import ArgumentParser
import Foundation
import MIANotifier
import MIAWorkerRuntime

/// `--database`: the store `mia-notifier` runs on, whose delivery ledger `mia notifier` and `mia dlq replay --worker
/// notifier` change.
struct NotifierStoreOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            """
            mia-notifier's store: its SQLite file or postgres:// URL (default ./data/notifier.sqlite). \
            Env: MIA_DATABASE.
            """,
            valueName: "store"))
    var database: String?

    /// The store's location.
    var location: String {
        database ?? ProcessInfo.processInfo.environment["MIA_DATABASE"] ?? "./data/notifier.sqlite"
    }

    /// Runs `body` with the notifier's delivery queue, and closes the store after.
    /// - Throws: `ValidationError` when there is no SQLite file at the location, or what `body` throws.
    func withQueue<T>(_ body: (NotificationDeliveryQueue) async throws -> T) async throws -> T {
        let location = location
        guard PostgresStore.isPostgresURL(location) || FileManager.default.fileExists(atPath: location) else {
            throw ValidationError("no notifier store at \(location); pass mia-notifier's --database")
        }
        let store = try WorkerStores.open(location)
        do {
            let result = try await body(NotificationDeliveryQueue(store: store))
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}
