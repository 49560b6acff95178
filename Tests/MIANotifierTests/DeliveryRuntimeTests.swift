import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIANotifier
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Delivery beside the runtime: webhooks delivered, dead letters relayed to mia.dlq.notifier")
struct DeliveryRuntimeTests {
    @Test("AF by a working webhook, FK by a failing one, kommun by the topic only", arguments: TestStore.available)
    func endToEnd(store kind: TestStore) async throws {
        let working = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let failing = try await WebhookReceiver(secret: WebhookDeliveryTests.secret, otherwise: 500)
        let routing = NotificationRouting(agencyChannels: [
            .af: .webhook(try WebhookSettings(url: working.url, secret: working.secret)),
            .fk: .webhook(try WebhookSettings(url: failing.url, secret: failing.secret, horizon: .seconds(60))),
        ])
        let harness = try RuntimeHarness(workers: ["notifier"], store: kind)
        let referrals = [Agency.af, .fk, .kommun].enumerated().map { index, agency in
            Self.referral(Journey(index: 60 + index).referral(), agency: agency)
        }
        try await harness.produce(referrals)

        // Delivery time moves 10 s each time the test looks, so FK's horizon of a minute passes after a few looks,
        // however fast or slow the machine is.
        let clock = ManualClock(Journey.baseTime)
        let configuration = DeliveryHarness.configuration(clock: clock, digest: .off)
        let metrics = WorkerMetrics(worker: "notifier")
        let worker = try harness.start(NotifierHandler(configuration: NotifierConfiguration(routing: routing))) {
            store in
            [
                NotificationDeliveryService(
                    routing: routing, store: store, configuration: configuration, metrics: metrics,
                    logger: harness.logger)
            ]
        }
        try await waitUntil("the dead letter relayed") {
            clock.advance(10)
            return try harness.count(TopicRegistry.deadLetter(worker: "notifier")) == 1 && working.accepted.count == 1
        }
        try await worker.stop()
        await working.stop()
        await failing.stop()

        let referralsRead = try await harness.read(TopicRegistry.referral)
        let notifications = try await harness.read(TopicRegistry.notification).map { record in
            try EventDecoder().decode(record.value)
        }
        #expect(notifications.count == 3, "every notification is on the topic, whatever its channel")
        let channels = notifications.compactMap { event -> String? in
            guard case .notificationRequested(let notification) = event.payload else { return nil }
            return "\(notification.agency.rawValue):\(notification.channel)"
        }
        #expect(Set(channels) == ["AF:webhook", "FK:webhook", "kommun:topic"])
        #expect(failing.requests.count >= 2, "retried until its horizon passed")
        #expect(failing.requests.allSatisfy { $0.status == 500 })

        let letter = try #require(try await harness.read(TopicRegistry.deadLetter(worker: "notifier")).first)
        let headers = Dictionary(
            letter.headers.map { ($0.name, $0.value.map { String(decoding: $0, as: UTF8.self) } ?? "") },
            uniquingKeysWith: { first, _ in first })
        #expect(headers["mia-error-class"] == "delivery")
        #expect(
            headers["mia-error-reason"]?.hasPrefix(
                "webhook delivery not completed within its horizon of 1 min (\(failing.requests.count) attempt(s)): http 500"
            ) == true, "\(headers)")
        #expect(headers["mia-worker"] == "notifier")
        #expect(headers["mia-original-topic"] == TopicRegistry.referral)
        let position = try #require(
            referralsRead.first { record in
                (try? EventDecoder().decode(record.value))?.id == referrals[1].id
            })
        #expect(headers["mia-original-partition"] == String(position.partition), "the referral it was made from")
        #expect(headers["mia-original-offset"] == String(position.offset))
        #expect(
            try PrometheusText.value(
                of: "mia_messages_dead_lettered_total", labels: ["worker": "notifier", "class": "delivery"],
                in: metrics.render()) == 1)
        guard case .notificationRequested(let dead) = try EventDecoder().decode(letter.value).payload else {
            Issue.record("the dead letter is not a notification")
            return
        }
        #expect(dead.agency == .fk)
        #expect(letter.key.map { String(decoding: $0, as: UTF8.self) } == dead.handlaggareId)
    }

    /// The anvisning of a journey, referred by a handläggare of `agency`.
    static func referral(_ event: CloudEvent, agency: Agency) -> CloudEvent {
        guard case .referralCreated(var referral) = event.payload else { preconditionFailure("an anvisning") }
        referral.handlaggare.agency = agency
        return CloudEvent(id: event.id, source: event.source, time: event.time, payload: .referralCreated(referral))
    }
}
