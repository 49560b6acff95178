import Foundation
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import Testing

@Suite("Webhook delivery: signed, retried with backoff, dead-lettered, once per notification")
struct WebhookDeliveryTests {
    static let secret = Array("webhook-secret-0123456789abcdef".utf8)

    static func routing(_ receiver: WebhookReceiver, maxAttempts: Int = 3) throws -> NotificationRouting {
        NotificationRouting(agencyChannels: [
            .af: .webhook(try WebhookSettings(url: receiver.url, secret: receiver.secret, maxAttempts: maxAttempts))
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
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver, maxAttempts: 3))
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

    @Test("A receiver that always fails gets the configured attempts, then the notification is dead-lettered")
    func deadLetter() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, otherwise: 503)
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver, maxAttempts: 4))
        let journey = Journey(index: 3)
        let notification = try #require(try await harness.apply([journey.referral()]).first)

        try await harness.deliver(until: "dead") {
            try await harness.ledger(notification.notificationId)?["status"] == "dead"
        }
        await receiver.stop()

        #expect(receiver.requests.count == 4)
        #expect(receiver.accepted.isEmpty)
        let row = try #require(try await harness.ledger(notification.notificationId))
        #expect(row["attempts"].integer == 4 && row["last_result"] == "http 503")
        let letters = try await harness.deadLetters()
        let letter = try #require(letters.first)
        #expect(letters.count == 1)
        #expect(letter.key == journey.handlaggareId)
        #expect(letter.headers["mia-error-class"] == "handler")
        #expect(letter.headers["mia-error-reason"] == "webhook delivery failed after 4 attempt(s): http 503")
        #expect(letter.headers["mia-worker"] == "notifier")
        #expect(letter.headers["mia-original-topic"] == TopicRegistry.notification)
        #expect(letter.headers["mia-delivery-id"] == notification.notificationId)
        #expect(letter.headers["mia-delivery-attempts"] == "4")
        let event = try EventDecoder().decode(letter.value)
        #expect(event.payload == .notificationRequested(notification), "the dead letter is the notification itself")
    }

    @Test("A 4xx answer other than 408 and 429 is permanent: dead-lettered after one attempt")
    func permanent() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, otherwise: 410)
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver, maxAttempts: 5))
        let notification = try #require(try await harness.apply([Journey(index: 4).referral()]).first)

        try await harness.deliver(until: "dead") {
            try await harness.ledger(notification.notificationId)?["status"] == "dead"
        }
        await receiver.stop()

        #expect(receiver.requests.count == 1)
        #expect(try await harness.deadLetters().count == 1)
    }

    @Test("A redirect is never followed: it is a permanent failure")
    func redirect() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret, answering: [307])
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver, maxAttempts: 3))
        let notification = try #require(try await harness.apply([Journey(index: 6).referral()]).first)

        try await harness.deliver(until: "dead") {
            try await harness.ledger(notification.notificationId)?["status"] == "dead"
        }
        await receiver.stop()

        #expect(receiver.requests.count == 1)
        #expect(try await harness.ledger(notification.notificationId)?["last_result"] == "http 307")
    }

    @Test("A receiver that does not listen is retried like a 5xx")
    func unreachable() async throws {
        let receiver = try await WebhookReceiver(secret: Self.secret)
        await receiver.stop()
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver, maxAttempts: 2))
        let notification = try #require(try await harness.apply([Journey(index: 5).referral()]).first)

        try await harness.deliver(until: "dead") {
            try await harness.ledger(notification.notificationId)?["status"] == "dead"
        }
        let row = try #require(try await harness.ledger(notification.notificationId))
        #expect(row["attempts"].integer == 2)
        #expect(row["last_result"].text?.hasPrefix("connection failed") == true)
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
