import Foundation
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import Testing

@Suite("Webhook delivery: signed, retried until the horizon, dead-lettered, once per notification")
struct WebhookDeliveryTests {
    static let secret = Array("webhook-secret-0123456789abcdef".utf8)

    static func routing(_ receiver: WebhookReceiver, horizon: Duration = .seconds(24 * 3600)) throws
        -> NotificationRouting
    {
        NotificationRouting(agencyChannels: [
            .af: .webhook(try WebhookSettings(url: receiver.url, secret: receiver.secret, horizon: horizon))
        ])
    }

    @Test("The receiver verifies the signature; the body carries the notification, never the participant")
    func signed() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret)
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver))
        let journey = Journey(index: 1)
        let notifications = try await harness.apply([journey.referral()])
        let notification = try #require(notifications.first)
        #expect(notification.channel == "webhook")

        try await harness.deliver(until: "delivered") {
            try await harness.ledger(notification.notificationId)?["status"] == "delivered"
        }
        await receiver.stop()

        let request = try #require(receiver.requests.first)
        #expect(receiver.requests.count == 1)
        #expect(request.rejection == nil && request.status == 200)
        #expect(request.notificationId == notification.notificationId)
        #expect(request.type == "notification" && request.attempt == 1)
        let body = try JSONSerialization.jsonObject(with: request.body) as? [String: Any]
        #expect(body?["id"] as? String == notification.notificationId)
        #expect(body?["handlaggareId"] as? String == journey.handlaggareId)
        let sent = try #require((body?["notifications"] as? [[String: Any]])?.first)
        #expect(sent["notificationId"] as? String == notification.notificationId)
        #expect(sent["subject"] as? String == notification.subject)
        let text = String(decoding: request.body, as: UTF8.self)
        #expect(!text.contains(journey.participantRef), "no participant reference in the payload")
        let row = try #require(try await harness.ledger(notification.notificationId))
        #expect(row["attempts"].integer == 1 && row["last_result"] == "http 200" && !row["delivered_ms"].isNull)
    }

    @Test("A receiver answering 500 twice, then 200, gets exactly one accepted delivery, on the third attempt")
    func retries() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, answering: [500, 500])
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver))
        let notification = try #require(try await harness.apply([Journey(index: 2).referral()]).first)

        try await harness.deliver(until: "delivered") {
            try await harness.ledger(notification.notificationId)?["status"] == "delivered"
        }
        await receiver.stop()

        #expect(receiver.requests.map(\.status) == [500, 500, 200])
        #expect(receiver.requests.map(\.attempt) == [1, 2, 3])
        #expect(
            receiver.requests.allSatisfy { $0.notificationId == notification.notificationId && $0.rejection == nil })
        #expect(receiver.accepted.count == 1)
        let row = try #require(try await harness.ledger(notification.notificationId))
        #expect(row["attempts"].integer == 3)
        #expect(try await harness.deadLetters().isEmpty)
    }

    @Test(
        "A receiver that always fails is retried until the horizon has passed, then the notification is dead-lettered")
    func deadLetter() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, otherwise: 503)
        let clock = ManualClock(Journey.baseTime)
        let harness = try await DeliveryHarness(
            routing: try Self.routing(receiver, horizon: .seconds(600)), clock: clock)
        let journey = Journey(index: 3)
        let notification = try #require(try await harness.apply([journey.referral()]).first)

        // Ten minutes of delivery time in steps of 20 seconds: pending all along, however many attempts failed.
        for _ in 0..<30 {
            try await harness.service.deliverDue()
            #expect(try await harness.ledger(notification.notificationId)?["status"] != "dead")
            clock.advance(20)
        }
        #expect(receiver.requests.count >= 5, "retried while the horizon lasted")
        #expect(try await harness.deadLetters().isEmpty)
        // At the horizon's end the notification is given up: the endpoint has failed all along, so its circuit
        // breaker is open and no further attempt is made.
        try await harness.service.deliverDue()
        let row = try #require(try await harness.ledger(notification.notificationId))
        #expect(row["status"] == "dead")
        await receiver.stop()

        #expect(receiver.accepted.isEmpty)
        let attempts = receiver.requests.count
        #expect(row["attempts"].integer == Int64(attempts))
        let letters = try await harness.deadLetters()
        let letter = try #require(letters.first)
        #expect(letters.count == 1)
        #expect(letter.key == journey.handlaggareId)
        #expect(letter.headers["mia-error-class"] == "delivery")
        #expect(
            letter.headers["mia-error-reason"]
                == "webhook delivery not completed within its horizon of 10 min (\(attempts) attempt(s)): http 503 (endpoint unavailable: circuit open)"
        )
        #expect(letter.headers["mia-worker"] == "notifier")
        #expect(letter.headers["mia-original-topic"] == TopicRegistry.referral, "the input it was made from")
        #expect(letter.headers["mia-original-partition"] == "0" && letter.headers["mia-original-offset"] == "0")
        #expect(letter.headers["mia-delivery-id"] == notification.notificationId)
        #expect(letter.headers["mia-notification-id"] == notification.notificationId)
        #expect(letter.headers["mia-delivery-channel"] == "webhook" && letter.headers["mia-delivery-agency"] == "AF")
        #expect(letter.headers["mia-delivery-attempts"] == String(attempts))
        let event = try EventDecoder().decode(letter.value)
        #expect(event.payload == .notificationRequested(notification), "the dead letter is the notification itself")
        #expect(try harness.metric("mia_messages_dead_lettered_total", ["class": "delivery"]) == 1)
        #expect(try harness.metric("mia_notifier_deliveries_total", ["outcome": "dead_lettered"]) == 1)
        #expect(
            try harness.metric("mia_notifier_delivery_failures_total", ["reason": "http_5xx"]) == Double(attempts))
    }

    @Test("A 4xx answer other than 408 and 429 is permanent: dead-lettered after one attempt")
    func permanent() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, otherwise: 410)
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver))
        let notification = try #require(try await harness.apply([Journey(index: 4).referral()]).first)

        try await harness.deliver(until: "dead") {
            try await harness.ledger(notification.notificationId)?["status"] == "dead"
        }
        await receiver.stop()

        #expect(receiver.requests.count == 1)
        let letter = try #require(try await harness.deadLetters().first)
        #expect(letter.headers["mia-error-reason"] == "webhook delivery refused: http 410 (attempt 1)")
        #expect(try harness.metric("mia_notifier_delivery_failures_total", ["reason": "http_4xx"]) == 1)
    }

    @Test("A redirect is never followed: it is a permanent failure")
    func redirect() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, answering: [307])
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver))
        let notification = try #require(try await harness.apply([Journey(index: 6).referral()]).first)

        try await harness.deliver(until: "dead") {
            try await harness.ledger(notification.notificationId)?["status"] == "dead"
        }
        await receiver.stop()

        #expect(receiver.requests.count == 1)
        #expect(
            try await harness.ledger(notification.notificationId)?["last_result"]
                == "webhook delivery refused: http 307 (attempt 1)")
    }

    @Test("A receiver that does not listen is retried like a 5xx")
    func unreachable() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret)
        await receiver.stop()
        let clock = ManualClock(Journey.baseTime)
        let harness = try await DeliveryHarness(
            routing: try Self.routing(receiver, horizon: .seconds(60)), clock: clock)
        let notification = try #require(try await harness.apply([Journey(index: 5).referral()]).first)

        // Attempts at 0, 20 and 40 s fail and are retried; the one at the horizon's end, 60 s, fails and gives up.
        for _ in 0..<4 {
            #expect(try await harness.service.deliverDue() == 1)
            clock.advance(20)
        }
        let row = try #require(try await harness.ledger(notification.notificationId))
        #expect(row["status"] == "dead")
        #expect(row["attempts"].integer == 4)
        #expect(
            row["last_result"].text?.hasPrefix(
                "webhook delivery not completed within its horizon of 1 min (4 attempt(s)): connection failed") == true,
            "\(row)")
        #expect(try harness.metric("mia_notifier_delivery_failures_total", ["reason": "connection"]) == 4)
    }

    @Test("Redelivered input and a restart on the same store never send a delivered notification again")
    func once() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret)
        let routing = try Self.routing(receiver)
        let harness = try await DeliveryHarness(routing: routing)
        let journeys = (10..<14).map { Journey(index: $0) }
        let events = journeys.flatMap { journey in
            [
                journey.referral(),
                journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            ]
        }
        let notifications = try await harness.apply(events)
        #expect(notifications.count == 8)
        try await harness.deliver(until: "all delivered") { try await harness.ledger(status: "delivered").count == 8 }

        // The same events again, as new events with the same facts (other ids), then a restarted process.
        let redelivered = events.map { event in
            CloudEvent(id: event.id + "-again", source: event.source, time: event.time, payload: event.payload)
        }
        let restarted = try await DeliveryHarness(routing: routing, reusing: harness)
        #expect(try await restarted.apply(events + redelivered).isEmpty, "no second notification")
        #expect(try await restarted.service.deliverDue() == 0)
        await receiver.stop()

        #expect(receiver.accepted.count == 8)
        #expect(Set(receiver.accepted.compactMap(\.notificationId)) == Set(notifications.map(\.notificationId)))
    }

    @Test("A crash during an attempt resends only that message, once its lease has run out")
    func crashDuringAttempt() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret)
        let routing = try Self.routing(receiver)
        let clock = ManualClock(Journey.baseTime)
        let harness = try await DeliveryHarness(routing: routing, clock: clock)
        let notifications = try await harness.apply([Journey(index: 20).referral(), Journey(index: 21).referral()])
        // The first process claims both and dies before any outcome is recorded.
        let ledger = DeliveryLedgerProbe(store: harness.store)
        try await ledger.claimAll(now: clock.now)

        let restarted = try await DeliveryHarness(routing: routing, clock: clock, reusing: harness)
        #expect(try await restarted.service.deliverDue() == 0, "still leased to the dead process")
        clock.set(clock.now.addingTimeInterval(41))
        #expect(try await restarted.service.deliverDue() == 2)
        #expect(try await restarted.service.deliverDue() == 0)
        await receiver.stop()

        #expect(receiver.accepted.map(\.attempt) == [2, 2], "the second attempt of each")
        #expect(Set(receiver.accepted.compactMap(\.notificationId)) == Set(notifications.map(\.notificationId)))
    }
}
