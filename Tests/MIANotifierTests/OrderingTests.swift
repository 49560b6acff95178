import Foundation
import MIAContracts
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@testable import MIANotifier

@Suite("Notifier: events before their anvisning are kept, without personal data, and sent when it arrives")
struct OrderingTests {
    let journey = Journey(index: 3)

    @Test(
        "A meeting and a follow-up before the anvisning are notified after its receipt, in arrival order",
        arguments: TestStore.available)
    func pendingUntilReferral(store kind: TestStore) async throws {
        let store = try await HandlerStore(store: kind)
        let early = [
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            journey.followup(2, .feedback, on: date(2018, 4, 16)),
        ]
        #expect(try await store.apply(early).isEmpty)
        #expect(try await store.apply(early).isEmpty, "kept once")

        let kept = try await store.store.read { transaction in
            try transaction.query("SELECT referral_id, notice FROM notifier_pending", []).map {
                $0["notice"].text ?? ""
            }
        }
        #expect(kept.count == 2)
        for notice in kept {
            #expect(!notice.contains(journey.participantRef), "a kept notice holds no participant reference")
        }

        let notifications = try await store.apply([journey.referral()])
        #expect(notifications.map(\.kind) == [.referralReceived, .meetingBooked, .followupReported])
        #expect(notifications.allSatisfy { $0.handlaggareId == journey.handlaggareId })
        #expect(notifications[1].subject == "Trepartsmöte bokat tisdag 20 mars 2018, anvisning ref-3")
        let remaining = try await store.store.read { transaction in
            try transaction.queryOne("SELECT COUNT(*) AS n FROM notifier_pending", [])?["n"].integer
        }
        #expect(remaining == 0)
        #expect(try await store.apply(early + [journey.referral()]).isEmpty, "everything again: nothing more")
    }

    @Test("Nothing about the participant appears in any notification", arguments: TestStore.available)
    func noPersonalData(store kind: TestStore) async throws {
        let journeys = (10..<14).map { Journey(index: $0) }
        var events: [CloudEvent] = []
        for journey in journeys {
            events += [
                journey.referral(insats: .asfWorkTraining),
                journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
                journey.meeting(2, .meetingRescheduled, sequence: 1, start: "2018-03-21 10:00", location: "rum-3"),
                journey.meeting(3, .meetingCancelled, sequence: 2, reason: "participant-declined"),
                journey.meeting(4, .meetingUnschedulable, kind: .nextStep, sequence: 0, reason: "no-common-time"),
                journey.placement(5, .placementWaitlisted, position: 1, on: date(2018, 3, 6)),
                journey.placement(6, .placementPlacedFromWaitlist, on: date(2018, 3, 26)),
                journey.followup(7, .insatsExtended, on: date(2018, 6, 1)),
                journey.followup(8, .approachingEnd, on: date(2018, 9, 1)),
                journey.outcome(9, .ordinaryProgramme, on: date(2018, 9, 28)),
            ]
        }
        let notifications = try await HandlerStore(store: kind).apply(events)
        #expect(notifications.count == journeys.count * 10)
        for notification in notifications {
            let text = String(
                decoding: try EventEncoder().encode(
                    CloudEvent(
                        id: "x", source: "/test", time: Journey.baseTime, payload: .notificationRequested(notification))
                ),
                as: UTF8.self)
            for journey in journeys {
                #expect(!text.contains(journey.participantRef))
            }
            let words = [notification.subject, notification.body, notification.calendar ?? ""].joined(separator: "\n")
            for personal in ["1985", "kvinna", "disability", "longTermUnemployed", "isced", "af-inbox"] {
                #expect(!words.contains(personal), "\(personal) in \(notification.kind)")
            }
        }
    }
}
