import Foundation
import Logging
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import MIAWorkerTestKit
import ServiceLifecycle
import Testing

/// The delivery service runs as in `mia-notifier`, on the system clock. Nothing here measures time: the test waits
/// for states (requests held, messages delivered) and checks what happened in which order.
@Suite("Per-destination isolation: an endpoint that hangs delays only its own agency's notifications")
struct DestinationIsolationTests {
    @Test("AF's endpoint hangs: FK's webhook deliveries (a retry among them) and kommun's e-mails all go first")
    func hangingEndpoint() async throws {
        let secret = WebhookDeliveryTests.secret
        let hanging = try await HangingWebhookReceiver()
        let fk = try await WebhookReceiver(secret: secret, answering: [503])
        let smtp = try await SMTPReceiver()
        let routing = NotificationRouting(agencyChannels: [
            .af: .webhook(
                try WebhookSettings(url: hanging.url, secret: secret, timeout: .seconds(300), concurrency: 2)),
            .fk: .webhook(try WebhookSettings(url: fk.url, secret: secret)),
            .kommun: .email(
                try EmailSettings(
                    host: "127.0.0.1", port: smtp.port, from: "mia-notiser@forbund.example",
                    recipientTemplate: "{contactChannel}@kommun.example")),
        ])
        let harness = try await DeliveryHarness(routing: routing, organizer: "mailto:mia-notiser@forbund.example")
        func referrals(_ indices: Range<Int>, _ agency: Agency) -> [CloudEvent] {
            indices.map { DeliveryRuntimeTests.referral(Journey(index: $0).referral(), agency: agency) }
        }
        // AF's notifications come first, so a service that worked in rounds would start with them.
        let af = try await harness.apply(referrals(200..<204, .af))
        let others = try await harness.apply(referrals(210..<213, .fk) + referrals(220..<223, .kommun))
        #expect(af.count == 4 && others.count == 6)

        let group = ServiceGroup(
            configuration: .init(
                services: [harness.service], logger: Logger(label: "test", factory: DeliveryHarness.logHandler)))
        let running = Task { try await group.run() }
        try await waitUntil("AF's requests held while FK's and kommun's are delivered") {
            hanging.inFlight == 2 && fk.accepted.count == 3 && smtp.mails.count == 3
        }
        #expect(hanging.accepted.isEmpty, "AF's endpoint has answered nothing")
        #expect(fk.requests.map(\.status).sorted() == [200, 200, 200, 503], "FK's retry went while AF hung")
        let otherIds = Set(others.map(\.notificationId))
        try await waitUntil("the ledger to record FK's and kommun's deliveries") {
            Set(try await harness.ledger(status: "delivered").compactMap { $0["delivery_id"].text }) == otherIds
        }
        #expect(try await harness.ledger(status: "sending").count == 2, "AF's two attempts, its concurrency")
        #expect(try await harness.ledger(status: "pending").count == 2, "AF's other two wait their turn")

        hanging.release()
        try await waitUntil("AF's notifications delivered once its endpoint answers") {
            try await harness.ledger(status: "delivered").count == 10
        }
        await group.triggerGracefulShutdown()
        try await running.value
        await hanging.stop()
        await fk.stop()
        smtp.stop()

        #expect(hanging.mostInFlight == 2, "never more requests at AF's endpoint than its concurrency")
        #expect(Set(hanging.accepted) == Set(af.map(\.notificationId)) && hanging.accepted.count == 4)
        #expect(try await harness.deadLetters().isEmpty)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "delivered", "agency": "FK"]) == 3)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "delivered", "agency": "kommun"]) == 3)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "delivered", "agency": "AF"]) == 4)
        #expect(
            try harness.metric("mia_notifier_delivery_failures_total", ["agency": "FK", "reason": "http_5xx"]) == 1)
        #expect(try harness.metric("mia_notifier_delivery_attempt_seconds_count", ["agency": "AF"]) == 4)
    }
}
