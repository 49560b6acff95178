import Foundation
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
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
}
