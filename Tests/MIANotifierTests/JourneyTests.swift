import Foundation
import MIAContracts
import MIAWorkerTestKit
import Testing

@testable import MIANotifier

@Suite("Notifier: one participant's journey gives the right notifications, in order, once")
struct JourneyTests {
    let journey = Journey(index: 1)

    /// Anvisning, trepartsmöte booked and moved, follow-ups, a follow-up meeting, the approaching end and the
    /// slutdokumentation.
    var events: [CloudEvent] {
        [
            journey.referral(),
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            journey.meeting(
                2, .meetingRescheduled, sequence: 1, start: "2018-03-22 13:30", minutes: 90, location: "rum-4"),
            journey.followup(3, .feedback, on: date(2018, 4, 16)),
            journey.meeting(
                4, .meetingBooked, kind: .followup, sequence: 0, start: "2018-05-02 09:00", location: "video"),
            journey.followup(5, .followupMeetingHeld, on: date(2018, 5, 2), next: date(2018, 6, 1)),
            journey.followup(6, .approachingEnd, on: date(2018, 9, 3)),
            journey.outcome(7, .work, on: date(2018, 9, 28)),
        ]
    }

    @Test("The exact sequence of kinds, recipients and texts", arguments: TestStore.available)
    func exactSequence(store kind: TestStore) async throws {
        let notifications = try await HandlerStore(store: kind).apply(events)
        let expected: [(NotificationKind, String, String)] = [
            (
                .referralReceived, "Anvisning ref-1 har tagits emot av insatsen",
                """
                Hej!

                Insatsen har tagit emot anvisning ref-1 (ert ärende AF-2018-1001).
                Planerad period: 19 mars 2018 – 28 september 2018.

                Insatsen kontaktar dig för att boka ett trepartsmöte.
                """
            ),
            (
                .meetingBooked, "Trepartsmöte bokat tisdag 20 mars 2018, anvisning ref-1",
                """
                Hej!

                Ett trepartsmöte är bokat för anvisning ref-1 (ert ärende AF-2018-1001).

                Tid: tisdag 20 mars 2018 kl. 10.00–11.00
                Plats: rum-3

                En kalenderinbjudan är bifogad.
                """
            ),
            (
                .meetingRescheduled, "Trepartsmöte flyttat till torsdag 22 mars 2018, anvisning ref-1",
                """
                Hej!

                Ett trepartsmöte för anvisning ref-1 (ert ärende AF-2018-1001) har flyttats.

                Ny tid: torsdag 22 mars 2018 kl. 13.30–15.00
                Plats: rum-4

                Den bifogade kalenderinbjudan ersätter den tidigare.
                """
            ),
            (
                .followupReported, "Uppföljning av anvisning ref-1",
                """
                Hej!

                Insatsen har lämnat en ny återkoppling. Anvisning ref-1 (ert ärende AF-2018-1001), 16 april 2018.

                Återrapporten finns hos insatsen.
                """
            ),
            (
                .meetingBooked, "Uppföljningsmöte bokat onsdag 2 maj 2018, anvisning ref-1",
                """
                Hej!

                Ett uppföljningsmöte är bokat för anvisning ref-1 (ert ärende AF-2018-1001).

                Tid: onsdag 2 maj 2018 kl. 9.00–10.00
                Plats: video

                En kalenderinbjudan är bifogad.
                """
            ),
            (
                .followupReported, "Uppföljning av anvisning ref-1",
                """
                Hej!

                Ett uppföljningsmöte har hållits. Anvisning ref-1 (ert ärende AF-2018-1001), 2 maj 2018.
                Nästa uppföljning: 1 juni 2018.

                Återrapporten finns hos insatsen.
                """
            ),
            (
                .approachingEnd, "Planera nästa steg: insatsen för anvisning ref-1 närmar sig sitt slut",
                """
                Hej!

                Insatsen för anvisning ref-1 (ert ärende AF-2018-1001) närmar sig sitt slut (rapporterat 3 september 2018).

                Planera nästa steg tillsammans med insatsen.
                """
            ),
            (
                .outcomeRecorded, "Slutdokumentation för anvisning ref-1",
                """
                Hej!

                Insatsen för anvisning ref-1 (ert ärende AF-2018-1001) avslutades 28 september 2018. Slutdokumentationen är registrerad.

                Resultat: arbete (påbörjat arbete eller ökad omfattning)
                """
            ),
        ]
        try #require(notifications.count == expected.count)
        for (notification, (kind, subject, body)) in zip(notifications, expected) {
            #expect(notification.kind == kind)
            #expect(notification.subject == subject)
            #expect(notification.body == body)
            #expect(notification.handlaggareId == journey.handlaggareId)
            #expect(notification.agency == .af)
            #expect(notification.referralId == journey.referralId)
            #expect(notification.agencyCaseRef == journey.caseRef)
            #expect(notification.channel == "topic")
            #expect(notification.urgent == false)
            #expect(notification.violations(as: .notificationRequested).isEmpty)
        }
        #expect(notifications.map { $0.calendar != nil } == [false, true, true, false, true, false, false, false])
        #expect(Set(notifications.map(\.notificationId)).count == notifications.count)
    }

    @Test(
        "The whole journey again, and the same facts in events with new ids, notify nothing more",
        arguments: TestStore.available)
    func redeliveryNotifiesOnce(store kind: TestStore) async throws {
        let store = try await HandlerStore(store: kind)
        let first = try await store.apply(events)
        #expect(first.count == 8)
        #expect(try await store.apply(events).isEmpty, "the same events again")
        let reissued = events.map { event in
            CloudEvent(id: "reissued-\(event.id)", source: event.source, time: event.time, payload: event.payload)
        }
        #expect(try await store.apply(reissued).isEmpty, "the same facts in events with other ids")
    }

    @Test("Notification ids depend only on the fact and the handläggare", arguments: TestStore.available)
    func deterministicIds(store kind: TestStore) async throws {
        let once = try await HandlerStore(store: kind).apply(events)
        let again = try await HandlerStore(store: kind).apply(events)
        #expect(once.map(\.notificationId) == again.map(\.notificationId))
    }
}
