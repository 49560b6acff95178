import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Synchronization

@testable import MIANotifier
@testable import MIAWorkerRuntime

/// A clock that tests move by hand.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func set(_ date: Date) { current.withLock { $0 = date } }

    /// Moves the clock on by `seconds`.
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The notifier's handler and delivery service on one temporary store with the runtime's tables, fed events
/// directly, without Kafka.
struct DeliveryHarness {
    let handlerStore: HandlerStore
    let service: NotificationDeliveryService
    /// The metrics the service records, as `/metrics` would show them.
    let metrics = WorkerMetrics(worker: "notifier")
    var store: any WorkerStore { handlerStore.store }

    /// - Parameters:
    ///   - routing: The channels.
    ///   - clock: A clock to move by hand; the system clock when `nil`.
    ///   - digest: The digest schedule.
    ///   - organizer: The calendar organizer.
    ///   - kind: The kind of a new store.
    ///   - other: An existing harness, to restart on its store.
    ///   - configure: Changes to the delivery configuration.
    init(
        routing: NotificationRouting, clock: ManualClock? = nil, digest: DigestSchedule = .off,
        organizer: String? = nil, store kind: TestStore = .sqlite, reusing other: DeliveryHarness? = nil,
        configure: (inout NotificationDeliveryConfiguration) -> Void = { _ in }
    ) async throws {
        let handler = NotifierHandler(
            configuration: NotifierConfiguration(routing: routing, calendarOrganizer: organizer))
        if let other {
            handlerStore = HandlerStore(handler: handler, store: other.store)
        } else {
            handlerStore = try await HandlerStore(handler, store: kind)
            try await handlerStore.store.migrate(RuntimeTables.migrations)
        }
        var configuration = Self.configuration(clock: clock, digest: digest)
        configure(&configuration)
        service = NotificationDeliveryService(
            routing: routing, store: handlerStore.store, configuration: configuration, metrics: metrics,
            logger: Logger(label: "test", factory: Self.logHandler))
    }

    /// Silent, unless `MIA_TEST_LOG` is set: then the service's log goes to standard error.
    static func logHandler(label: String) -> any LogHandler {
        ProcessInfo.processInfo.environment["MIA_TEST_LOG"] == nil
            ? SwiftLogNoOpLogHandler() : StreamLogHandler.standardError(label: label)
    }

    /// Fast backoff, so that retries take milliseconds.
    static func configuration(clock: ManualClock?, digest: DigestSchedule) -> NotificationDeliveryConfiguration {
        var configuration = NotificationDeliveryConfiguration()
        configuration.backoff = Backoff(base: .milliseconds(5), cap: .milliseconds(20))
        configuration.pollInterval = .milliseconds(5)
        configuration.digest = digest
        if let clock { configuration.now = { clock.now } }
        return configuration
    }

    /// Applies events as the runtime would and returns the notifications they asked for.
    @discardableResult
    func apply(_ events: [CloudEvent]) async throws -> [NotificationRequested] {
        try await handlerStore.apply(events)
    }

    /// Runs delivery rounds until `condition` holds, for at most `timeout`.
    func deliver(until what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool)
        async throws
    {
        let end = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < end else { throw HarnessTimeout(what: what) }
            if try await service.deliverDue() == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
    }

    /// The ledger row of a delivery id.
    func ledger(_ deliveryId: String) async throws -> SQLRow? {
        try await store.read { transaction in
            try transaction.queryOne(
                "SELECT status, attempts, last_result, delivered_ms, digest_id FROM notifier_outgoing WHERE delivery_id = ?",
                [.text(deliveryId)])
        }
    }

    /// A metric's value as `/metrics` shows it, summed over the label sets that contain every given label.
    func metric(_ name: String, _ labels: [String: String] = [:]) throws -> Double {
        try PrometheusText.value(of: name, labels: labels, in: metrics.render())
    }

    /// The ledger's rows with a status.
    func ledger(status: String) async throws -> [SQLRow] {
        try await store.read { transaction in
            try transaction.query(
                "SELECT delivery_id, attempts, digest_id FROM notifier_outgoing WHERE status = ? ORDER BY seq",
                [.text(status)])
        }
    }

    /// The dead letters waiting in the runtime's outbox, with their headers decoded.
    func deadLetters() async throws -> [(key: String, value: [UInt8], headers: [String: String])] {
        let rows = try await store.read { transaction in
            try transaction.query(
                "SELECT record_key, value, headers FROM mia_outbox WHERE topic = ? ORDER BY seq",
                [.text(TopicRegistry.deadLetter(worker: "notifier"))])
        }
        return rows.map { row in
            let headers = OutboxHeaders.decode(row["headers"].text ?? "[]").reduce(into: [String: String]()) {
                headers, header in
                headers[header.name] = header.value.map { String(decoding: $0, as: UTF8.self) }
            }
            return (String(decoding: row["record_key"].blob ?? [], as: UTF8.self), row["value"].blob ?? [], headers)
        }
    }
}

struct HarnessTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}
