import Foundation
import MIAContracts
import MIAWorkerRuntime

/// The delivery service's metrics, recorded in the worker's registry (served on `/metrics`) through
/// `WorkerMetrics`; no metric when there is none. Labels are the channel (`webhook`, `email`), the agency code and,
/// for failures, the failure's class: never an address, an id or a person.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `mia_notifier_delivery_attempts_total` | counter | `channel`, `agency`, `result` (`delivered`, `retryable`, `permanent`) |
/// | `mia_notifier_delivery_failures_total` | counter | `channel`, `agency`, `reason` (see `DeliveryResult.reason`) |
/// | `mia_notifier_deliveries_total` | counter | `channel`, `agency`, `outcome` (`delivered`, `dead_lettered`) |
/// | `mia_notifier_delivery_attempt_seconds` | histogram | `channel`, `agency`: one attempt, 10 ms to 60 s |
/// | `mia_notifier_delivery_latency_seconds` | histogram | `channel`, `agency`: due to delivered, 1 s to 24 h |
/// | `mia_notifier_undelivered` | gauge | `channel`, `agency`: messages due or in flight |
/// | `mia_notifier_oldest_undelivered_seconds` | gauge | `channel`, `agency`: how long the oldest has been due |
/// | `mia_notifier_circuit_open` | gauge | `channel`, `agency`: 1 while the destination's breaker is open |
/// | `mia_notifier_digest_held` | gauge | notifications held for a digest |
/// | `mia_notifier_next_digest_timestamp_seconds` | gauge | when the next digest is due (Unix time; 0 when off) |
///
/// Each notification dead-lettered also counts in the runtime's `mia_messages_dead_lettered_total` with
/// `class="delivery"`, so the dead-letter alert sees it.
struct DeliveryMetrics: Sendable {
    let metrics: WorkerMetrics?

    private static let attemptBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]
    private static let latencyBuckets: [Duration] = [
        .seconds(1), .seconds(5), .seconds(30), .seconds(60), .seconds(300), .seconds(900), .seconds(3600),
        .seconds(4 * 3600), .seconds(12 * 3600), .seconds(24 * 3600),
    ]

    /// One attempt's result and how long it took.
    func attempted(_ message: OutgoingMessage, _ result: DeliveryResult, took duration: Duration) {
        guard let metrics else { return }
        let labels = Self.labels(message.channel, message.agency)
        let kind = result.isDelivered ? "delivered" : result.isRetryable ? "retryable" : "permanent"
        metrics.increment("mia_notifier_delivery_attempts_total", labels: labels + [("result", kind)])
        if !result.isDelivered {
            metrics.increment("mia_notifier_delivery_failures_total", labels: labels + [("reason", result.reason)])
        }
        metrics.record(
            "mia_notifier_delivery_attempt_seconds", duration, labels: labels, buckets: Self.attemptBuckets)
    }

    /// A message delivered, `latency` after it became due.
    func delivered(_ message: OutgoingMessage, latency: TimeInterval) {
        guard let metrics else { return }
        let labels = Self.labels(message.channel, message.agency)
        metrics.increment("mia_notifier_deliveries_total", labels: labels + [("outcome", "delivered")])
        metrics.record(
            "mia_notifier_delivery_latency_seconds", .milliseconds(Int64(max(0, latency) * 1000)), labels: labels,
            buckets: Self.latencyBuckets)
    }

    /// A message dead-lettered; `topics` are its letters' original topics, one per notification.
    func deadLettered(_ message: OutgoingMessage, topics: [String]) {
        guard let metrics else { return }
        metrics.increment(
            "mia_notifier_deliveries_total",
            labels: Self.labels(message.channel, message.agency) + [("outcome", "dead_lettered")])
        for topic in topics { metrics.deadLettered(topic: topic, errorClass: "delivery") }
    }

    /// The gauges of what waits: every direct destination's agencies get a value, 0 when nothing waits.
    func backlog(
        _ backlog: DeliveryLedger.Backlog, routes: [(channel: String, agency: Agency, isOpen: Bool)],
        nextDigest: Date?, now: Date
    ) {
        guard let metrics else { return }
        for route in routes {
            let waiting = backlog.waiting.filter { $0.agency == route.agency && $0.channel == route.channel }
            let labels = Self.labels(route.channel, route.agency)
            let oldest = waiting.map(\.oldestSince).min().map { max(0, now.timeIntervalSince($0)) } ?? 0
            metrics.set("mia_notifier_undelivered", to: Double(waiting.reduce(0) { $0 + $1.messages }), labels: labels)
            metrics.set("mia_notifier_oldest_undelivered_seconds", to: oldest.rounded(), labels: labels)
            metrics.set("mia_notifier_circuit_open", to: route.isOpen ? 1 : 0, labels: labels)
        }
        metrics.set("mia_notifier_digest_held", to: Double(backlog.held))
        let next = backlog.nextHeldDue ?? nextDigest
        metrics.set("mia_notifier_next_digest_timestamp_seconds", to: next.map { $0.timeIntervalSince1970 } ?? 0)
    }

    private static func labels(_ channel: String, _ agency: Agency) -> [(String, String)] {
        [("channel", channel), ("agency", agency.rawValue)]
    }
}
