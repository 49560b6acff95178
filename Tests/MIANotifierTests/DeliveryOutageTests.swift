import Foundation
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// Delivery time is a clock the test moves (10 s per round), so an outage of 10 minutes takes a few seconds to
/// run; what is checked is what the notifier does in that time, never how long anything took.
@Suite("An agency endpoint's outage: retried by time, the endpoint spared, everything delivered once it is back")
struct DeliveryOutageTests {
    @Test(
        "Down for 10 minutes (503, then connections refused): every notification delivered once, none dead-lettered",
        arguments: TestStore.available)
    func tenMinutes(store kind: TestStore) async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret, otherwise: 503)
        let clock = ManualClock(Journey.baseTime)
        let harness = try await DeliveryHarness(
            routing: try WebhookDeliveryTests.routing(receiver), clock: clock, store: kind)
        func referrals(_ indices: Range<Int>) async throws -> [NotificationRequested] {
            try await harness.apply(indices.map { Journey(index: $0).referral() })
        }
        var notifications = try await referrals(100..<110)
        var oldest = 0.0
        var breakerOpened = false
        func round() async throws {
            try await harness.service.deliverDue()
            oldest = max(oldest, try harness.metric("mia_notifier_oldest_undelivered_seconds", ["agency": "AF"]))
            if try harness.metric("mia_notifier_circuit_open", ["agency": "AF"]) == 1 { breakerOpened = true }
            clock.advance(10)
        }

        // Five minutes of 503, with more notifications arising meanwhile.
        for step in 0..<30 {
            if step == 12 { notifications += try await referrals(110..<115) }
            try await round()
        }
        let answered = receiver.requests.count
        #expect(receiver.requests.allSatisfy { $0.status == 503 })
        #expect(breakerOpened, "the endpoint's circuit breaker opened")
        #expect(
            answered < 20,
            "the breaker stops hammering: a few failures in a row, then one probe per open period (\(answered) requests)"
        )

        // Five minutes of refused connections.
        await receiver.refuseConnections()
        for step in 0..<30 {
            if step == 12 { notifications += try await referrals(115..<120) }
            try await round()
        }
        #expect(receiver.requests.count == answered, "nothing arrived")
        #expect(try harness.metric("mia_notifier_delivery_failures_total", ["reason": "connection"]) >= 1)
        #expect(try await harness.ledger(status: "dead").isEmpty)
        #expect(try await harness.deadLetters().isEmpty, "nothing dead-lettered in 10 minutes: the horizon is 24 h")
        #expect(oldest >= 590, "the oldest notification has waited the whole outage: \(oldest) s")
        #expect(try harness.metric("mia_notifier_undelivered", ["agency": "AF"]) == 20)

        // Back: the breaker's next probe gets an answer, and every waiting notification is due at once.
        receiver.answer(200)
        try await receiver.listenAgain()
        var rounds = 0
        while try await harness.ledger(status: "delivered").count < notifications.count, rounds < 60 {
            try await round()
            rounds += 1
        }
        await receiver.stop()

        let accepted = receiver.accepted.compactMap(\.notificationId)
        #expect(accepted.count == 20, "each notification once")
        #expect(Set(accepted) == Set(notifications.map(\.notificationId)))
        #expect(try await harness.deadLetters().isEmpty)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "delivered"]) == 20)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "dead_lettered"]) == 0)
        #expect(try harness.metric("mia_messages_dead_lettered_total") == 0)
        #expect(try harness.metric("mia_notifier_delivery_latency_seconds_count", ["agency": "AF"]) == 20)
        let failures = try harness.metric("mia_notifier_delivery_failures_total", ["agency": "AF"])
        #expect(try harness.metric("mia_notifier_delivery_failures_total", ["reason": "http_5xx"]) == Double(answered))
        #expect(try harness.metric("mia_notifier_delivery_attempts_total", ["result": "retryable"]) == failures)
        #expect(try harness.metric("mia_notifier_delivery_attempts_total", ["result": "delivered"]) == 20)
        #expect(try harness.metric("mia_notifier_oldest_undelivered_seconds", ["agency": "AF"]) == 0)
        #expect(try harness.metric("mia_notifier_undelivered", ["agency": "AF"]) == 0)
        #expect(try harness.metric("mia_notifier_circuit_open", ["agency": "AF"]) == 0)
        try Self.alertsCount(harness.metrics.render())
    }

    @Test(
        "An endpoint that stays down: dead-lettered when the horizon has passed, not before",
        arguments: TestStore.available)
    func horizonPasses(store kind: TestStore) async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret, otherwise: 503)
        let clock = ManualClock(Journey.baseTime)
        let harness = try await DeliveryHarness(
            routing: try WebhookDeliveryTests.routing(receiver, horizon: .seconds(900)), clock: clock, store: kind)
        let notifications = try await harness.apply((130..<134).map { Journey(index: $0).referral() })
        for _ in 0..<90 {
            try await harness.service.deliverDue()
            #expect(try await harness.ledger(status: "dead").isEmpty, "alive before its 15 minutes have passed")
            clock.advance(10)
        }
        try await harness.service.deliverDue()
        await receiver.stop()

        #expect(try await harness.ledger(status: "dead").count == 4)
        let letters = try await harness.deadLetters()
        #expect(
            Set(letters.compactMap { $0.headers["mia-notification-id"] }) == Set(notifications.map(\.notificationId)))
        #expect(
            letters.allSatisfy {
                $0.headers["mia-error-reason"]?.hasPrefix("webhook delivery not completed within its horizon of 15 min")
                    == true
            })
        #expect(try harness.metric("mia_messages_dead_lettered_total", ["class": "delivery"]) == 4)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "dead_lettered"]) == 4)
        #expect(receiver.accepted.isEmpty)
    }

    /// Every `mia_notifier_*` metric the shipped alert rules use is one the service records, and every metric the
    /// service records is used by an alert.
    static func alertsCount(_ exposition: String) throws {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("deploy/kubernetes/base/prometheus-rules.yaml")
        let text = try String(contentsOf: rules, encoding: .utf8)
        let pattern = try Regex(#"mia_notifier_[a-z_]+"#)
        let used = Set(text.matches(of: pattern).map { String(text[$0.range]) }.map(Self.family))
        let recorded = Set(
            exposition.split(separator: "\n").filter { $0.hasPrefix("mia_notifier_") }
                .map { String($0.prefix { $0 != "{" && $0 != " " }) }.map(Self.family))
        #expect(
            !used.isEmpty && used.isSubset(of: recorded),
            "alerts on metrics never recorded: \(used.subtracting(recorded))")
        let unalerted = recorded.subtracting(used)
        #expect(unalerted.isEmpty, "metrics no alert counts: \(unalerted)")
    }

    /// A histogram's series named by its family: `…_seconds_bucket` is `…_seconds`.
    private static func family(_ name: String) -> String {
        for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
