import Foundation
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import MIAWorkerTestKit

/// A ``NotifierHandler`` on a new store (a SQLite file or a PostgreSQL schema) with only its own tables, fed events directly as the
/// runtime would (one transaction per event), without Kafka.
struct HandlerStore {
    let handler: NotifierHandler
    let store: any WorkerStore

    init(_ handler: NotifierHandler = NotifierHandler(), store kind: TestStore = .sqlite) async throws {
        self.handler = handler
        store = try TestStore.open(kind.freshDatabase())
        try await store.migrate(handler.migrations)
    }

    /// A handler on an existing store, as after a restart.
    init(handler: NotifierHandler, store: any WorkerStore) {
        self.handler = handler
        self.store = store
    }

    /// Applies events in order and returns the notifications they asked for, in order.
    func apply(_ events: [CloudEvent]) async throws -> [NotificationRequested] {
        var notifications: [NotificationRequested] = []
        for (offset, event) in events.enumerated() {
            let handler = handler
            let input = WorkerInput(
                event: event, topic: event.topic, partition: 0, offset: Int64(offset), timestampMilliseconds: nil)
            let outputs = try await store.write { transaction in try handler.handle(input, in: transaction) }
            for output in outputs {
                guard case .notificationRequested(let notification) = output.payload else {
                    preconditionFailure("the notifier only writes notifications")
                }
                precondition(output.discriminator == "notify:\(notification.notificationId)")
                notifications.append(notification)
            }
        }
        return notifications
    }
}
