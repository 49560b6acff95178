import Foundation
import Logging
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import MIAWorkerTestKit
import ServiceLifecycle
import Testing

@Suite("Daily digest: non-urgent notifications batched per handläggare, urgent ones at once")
struct DigestTests {
    @Test("Daily at 07:00 Europe/Stockholm, across the change to summer time")
    func schedule() {
        let digest = DigestSchedule.daily(at: 7)
        // Saturday 24 March 2018 07:30 CET; the clocks go forward on Sunday 25 March.
        let saturday = Journey.stockholm("2018-03-24 07:30")
        #expect(digest.nextDigest(after: saturday) == Journey.stockholm("2018-03-25 07:00"))
        #expect(digest.nextDigest(after: saturday)?.timeIntervalSince1970 == 1_521_954_000, "05:00 UTC in CEST")
        #expect(
            digest.nextDigest(after: Journey.stockholm("2018-03-24 06:59")) == Journey.stockholm("2018-03-24 07:00"))
        #expect(
            digest.nextDigest(after: Journey.stockholm("2018-03-24 07:00")) == Journey.stockholm("2018-03-25 07:00"))
        #expect(DigestSchedule.off.nextDigest(after: saturday) == nil)
    }

    @Test("Held until the digest hour, then one digest per handläggare; the urgent one went at once")
    func batches() async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let clock = ManualClock(Journey.stockholm("2018-03-05 10:00"))
        let harness = try await DeliveryHarness(
            routing: try WebhookDeliveryTests.routing(receiver), clock: clock, digest: .daily(at: 7))
        let first = Journey(index: 40), second = Journey(index: 41)
        let notifications = try await harness.apply([
            first.referral(),
            first.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            first.meeting(2, .meetingUnschedulable, kind: .followup, sequence: 0, reason: "no-common-time"),
            second.referral(),
        ])
        let urgent = try #require(notifications.first { $0.urgent })
        #expect(notifications.count == 4)

        #expect(try await harness.service.deliverDue() == 1, "only the urgent notification goes now")
        clock.set(Journey.stockholm("2018-03-06 06:59"))
        #expect(try await harness.service.deliverDue() == 0)
        #expect(receiver.requests.map(\.notificationId) == [urgent.notificationId])
        #expect(try await harness.ledger(status: "held").count == 3)

        clock.set(Journey.stockholm("2018-03-06 07:00"))
        #expect(try await harness.service.deliverDue() == 2, "one digest per handläggare")
        // A notification arising after the digest waits for the next day's.
        try await harness.apply([second.followup(3, .feedback, on: date(2018, 3, 6))])
        clock.set(Journey.stockholm("2018-03-06 12:00"))
        #expect(try await harness.service.deliverDue() == 0)
        await receiver.stop()

        let digests = receiver.accepted.filter { $0.type == "digest" }
        #expect(digests.count == 2)
        var sizes: [String: Int] = [:]
        for digest in digests {
            let body = try #require(try JSONSerialization.jsonObject(with: digest.body) as? [String: Any])
            #expect(body["type"] as? String == "digest" && body["id"] as? String == digest.notificationId)
            let members = try #require(body["notifications"] as? [[String: Any]])
            #expect(members.allSatisfy { $0["urgent"] as? Bool == false })
            sizes[body["handlaggareId"] as? String ?? ""] = members.count
        }
        #expect(sizes == [first.handlaggareId: 2, second.handlaggareId: 1])
        #expect(try await harness.ledger(status: "digested").count == 3)
        #expect(try await harness.ledger(status: "held").count == 1)
        #expect(try await harness.ledger(status: "delivered").count == 3, "the urgent notification and two digests")
    }

    @Test("The gauges say how many are held and when the next digest goes")
    func heldGauges() async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let clock = ManualClock(Journey.stockholm("2018-03-05 10:00"))
        let harness = try await DeliveryHarness(
            routing: try WebhookDeliveryTests.routing(receiver), clock: clock, digest: .daily(at: 7))
        try await harness.apply([Journey(index: 42).referral(), Journey(index: 43).referral()])
        try await harness.service.deliverDue()
        #expect(try harness.metric("mia_notifier_digest_held") == 2)
        #expect(
            try harness.metric("mia_notifier_next_digest_timestamp_seconds")
                == Journey.stockholm("2018-03-06 07:00").timeIntervalSince1970)
        clock.set(Journey.stockholm("2018-03-06 07:00"))
        try await harness.service.deliverDue()
        await receiver.stop()
        #expect(try harness.metric("mia_notifier_digest_held") == 0)
        #expect(
            try harness.metric("mia_notifier_next_digest_timestamp_seconds")
                == Journey.stockholm("2018-03-07 07:00").timeIntervalSince1970, "none held: the next scheduled one")
    }

    @Test("Restarted with digests off, the held notifications go at once, each on its own")
    func restartedOff() async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let routing = try WebhookDeliveryTests.routing(receiver)
        let clock = ManualClock(Journey.stockholm("2018-03-05 10:00"))
        let harness = try await DeliveryHarness(routing: routing, clock: clock, digest: .daily(at: 7))
        let held = try await harness.apply([Journey(index: 44).referral(), Journey(index: 45).referral()])
        #expect(try await harness.service.deliverDue() == 0)
        #expect(try await harness.ledger(status: "held").count == 2)

        let restarted = try await DeliveryHarness(routing: routing, clock: clock, digest: .off, reusing: harness)
        try await Self.start(restarted) {
            try await restarted.ledger(status: "delivered").count == 2
        }
        await receiver.stop()
        #expect(receiver.accepted.map(\.type) == ["notification", "notification"])
        #expect(Set(receiver.accepted.compactMap(\.notificationId)) == Set(held.map(\.notificationId)))
    }

    @Test(
        "Restarted with another digest hour, the held notifications are due at that hour",
        arguments: TestStore.available)
    func restartedAnotherHour(store kind: TestStore) async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let routing = try WebhookDeliveryTests.routing(receiver)
        let clock = ManualClock(Journey.stockholm("2018-03-05 10:00"))
        let harness = try await DeliveryHarness(routing: routing, clock: clock, digest: .daily(at: 7), store: kind)
        try await harness.apply([Journey(index: 46).referral()])
        try await harness.service.deliverDue()

        // The same day at 16:00 instead of the next morning at 07:00.
        let restarted = try await DeliveryHarness(
            routing: routing, clock: clock, digest: .daily(at: 16), reusing: harness)
        try await Self.start(restarted) {
            try await restarted.store.read { transaction in
                try transaction.queryOne("SELECT due_ms FROM notifier_outgoing WHERE status = 'held'", [])
            }?["due_ms"].integer == Int64(Journey.stockholm("2018-03-05 16:00").timeIntervalSince1970 * 1000)
        }
        clock.set(Journey.stockholm("2018-03-05 15:59"))
        #expect(try await restarted.service.deliverDue() == 0)
        clock.set(Journey.stockholm("2018-03-05 16:00"))
        #expect(try await restarted.service.deliverDue() == 1)
        await receiver.stop()
        #expect(receiver.accepted.map(\.type) == ["digest"])
    }

    @Test(
        "mia notifier flush: the held notifications become digests now, which the service sends",
        arguments: TestStore.available)
    func flush(store kind: TestStore) async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let clock = ManualClock(Journey.stockholm("2018-03-05 10:00"))
        let harness = try await DeliveryHarness(
            routing: try WebhookDeliveryTests.routing(receiver), clock: clock, digest: .daily(at: 7), store: kind)
        let first = Journey(index: 47), second = Journey(index: 48)
        try await harness.apply([
            first.referral(), second.referral(), first.followup(1, .feedback, on: date(2018, 3, 5)),
        ])
        try await harness.service.deliverDue()
        let queue = NotificationDeliveryQueue(store: harness.store)
        #expect(try await queue.held().notifications == 3)

        let digests = try await queue.flushHeldDigests(now: clock.now)
        #expect(digests.map(\.notifications).sorted() == [1, 2], "one digest per handläggare")
        #expect(digests.allSatisfy { $0.status == "pending" })
        #expect(try await queue.held().notifications == 0)
        #expect(try await harness.service.deliverDue() == 2, "sent in the next round, long before 07:00")
        await receiver.stop()
        #expect(receiver.accepted.map(\.type) == ["digest", "digest"])
        #expect(try await queue.deliveries(digests.map(\.id)).allSatisfy { $0.status == "delivered" })
    }

    @Test(
        "A digest carries each meeting's latest state only: booked, moved and cancelled is the cancellation",
        arguments: TestStore.available)
    func latestStateOnly(store kind: TestStore) async throws {
        let receiver = try await WebhookReceiver(secret: WebhookDeliveryTests.secret)
        let clock = ManualClock(Journey.stockholm("2018-03-05 10:00"))
        let harness = try await DeliveryHarness(
            routing: try WebhookDeliveryTests.routing(receiver), clock: clock, digest: .daily(at: 7), store: kind)
        let journey = Journey(index: 49)
        let notifications = try await harness.apply([
            journey.referral(),
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            journey.meeting(2, .meetingBooked, kind: .followup, sequence: 0, start: "2018-04-17 10:00"),
            journey.meeting(3, .meetingRescheduled, sequence: 1, start: "2018-03-21 13:00", location: "rum-3"),
            journey.meeting(4, .meetingCancelled, sequence: 2, reason: "participant-declined"),
        ])
        #expect(notifications.count == 5)
        try await harness.service.deliverDue()
        clock.set(Journey.stockholm("2018-03-06 07:00"))
        #expect(try await harness.service.deliverDue() == 1)
        await receiver.stop()

        let digest = try #require(receiver.accepted.first)
        let body = try #require(try JSONSerialization.jsonObject(with: digest.body) as? [String: Any])
        let members = try #require(body["notifications"] as? [[String: Any]])
        #expect(
            members.compactMap { $0["kind"] as? String } == ["referralReceived", "meetingBooked", "meetingCancelled"],
            "the trepartsmöte's cancellation only, beside the follow-up meeting's booking")
        #expect(try await harness.ledger(status: "superseded").count == 2)
        #expect(try await harness.ledger(status: "digested").count == 3)
    }

    /// Runs the service as `mia-notifier` does (its start-up applies the digest setting) until `condition` holds.
    static func start(_ harness: DeliveryHarness, until condition: @escaping () async throws -> Bool) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: [harness.service], logger: Logger(label: "test", factory: DeliveryHarness.logHandler)))
        let running = Task { try await group.run() }
        try await waitUntil("the restarted service", timeout: .seconds(30), condition)
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
