import Foundation
import MIAContracts
import MIAWorkerTestKit
import Testing

@testable import MIANotifier

@Suite("Notifier: cancelled and unschedulable meetings, and ASF placements")
struct MeetingNotificationTests {
    let journey = Journey(index: 2)

    @Test(
        "A cancellation without a time names the last known time and place and withdraws the invitation",
        arguments: TestStore.available)
    func cancellation(store kind: TestStore) async throws {
        let notifications = try await HandlerStore(store: kind).apply([
            journey.referral(),
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            journey.meeting(2, .meetingCancelled, sequence: 1, reason: "insats-staff-unavailable"),
        ])
        let cancelled = try #require(notifications.last)
        #expect(cancelled.kind == .meetingCancelled)
        #expect(cancelled.subject == "Trepartsmöte inställt, anvisning ref-2")
        #expect(
            cancelled.body == """
                Hej!

                Ett trepartsmöte för anvisning ref-2 (ert ärende AF-2018-1002) har ställts in.

                Tid: tisdag 20 mars 2018 kl. 10.00–11.00
                Plats: rum-3
                Orsak: insats-staff-unavailable

                Den bifogade kalenderfilen tar bort mötet ur din kalender.
                """)
        let calendar = try #require(cancelled.calendar)
        #expect(calendar.contains("METHOD:CANCEL\r\n"))
        #expect(calendar.contains("STATUS:CANCELLED\r\n"))
        #expect(calendar.contains("SEQUENCE:1\r\n"))
        #expect(calendar.contains("UID:mt-2@mia\r\n"))
    }

    @Test("No time within the window: urgent, action needed, no invitation", arguments: TestStore.available)
    func unschedulable(store kind: TestStore) async throws {
        let notifications = try await HandlerStore(store: kind).apply([
            journey.referral(),
            journey.meeting(1, .meetingUnschedulable, sequence: 0, reason: "no-common-time"),
        ])
        let notice = try #require(notifications.last)
        #expect(notice.kind == .meetingUnschedulable)
        #expect(notice.urgent)
        #expect(notice.calendar == nil)
        #expect(notice.subject == "Åtgärd krävs: ingen tid för trepartsmöte, anvisning ref-2")
        #expect(
            notice.body == """
                Hej!

                Det gick inte att hitta en gemensam tid för ett trepartsmöte inom bokningsfönstret för anvisning ref-2 (ert ärende AF-2018-1002).
                Orsak: no-common-time

                Kontakta insatsen för att boka en tid.
                """)
    }

    @Test(
        "ASF: waitlisted with its position, then placed from the waitlist; a released place says nothing",
        arguments: TestStore.available)
    func placements(store kind: TestStore) async throws {
        let notifications = try await HandlerStore(store: kind).apply([
            journey.referral(insats: .asfWorkTraining),
            journey.placement(1, .placementWaitlisted, position: 3, on: date(2018, 3, 6)),
            journey.placement(2, .placementPlacedFromWaitlist, on: date(2018, 4, 2)),
            journey.placement(3, .placementReleased, on: date(2018, 9, 28)),
        ])
        #expect(notifications.map(\.kind) == [.referralReceived, .placementWaitlisted, .placementFromWaitlist])
        #expect(notifications[1].subject == "Väntelista för arbetsträning, anvisning ref-2")
        #expect(
            notifications[1].body == """
                Hej!

                Det finns ingen ledig plats för arbetsträning för anvisning ref-2 (ert ärende AF-2018-1002) just nu.

                ASF: asf-kafe, verksamhet: kafé
                Plats i kön: 3 (sedan 6 mars 2018)

                Du får ett nytt meddelande när en plats blir ledig.
                """)
        #expect(notifications[2].body.contains("ASF: asf-kafe, verksamhet: kafé\nFrån: 2 april 2018"))
    }

    @Test("A place reserved directly", arguments: TestStore.available)
    func reserved(store kind: TestStore) async throws {
        let notifications = try await HandlerStore(store: kind).apply([
            journey.referral(insats: .asfWorkTraining),
            journey.placement(1, .placementReserved, on: date(2018, 3, 19)),
        ])
        #expect(notifications.last?.kind == .placementReserved)
        #expect(notifications.last?.subject == "Plats för arbetsträning reserverad, anvisning ref-2")
    }
}
