import Foundation
import MIAContracts
import MIAWorkerTestKit
import Testing

@testable import MIANotifier

@Suite("Notifier: iCalendar invitations")
struct CalendarInvitationTests {
    let journey = Journey(index: 4)

    @Test(
        "An independent parser reads booked, moved and cancelled: same UID, rising SEQUENCE, Stockholm time",
        arguments: TestStore.available)
    func parsedByIcalendar(store kind: TestStore) async throws {
        let notifications = try await HandlerStore(store: kind).apply([
            journey.referral(),
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            journey.meeting(
                2, .meetingRescheduled, sequence: 1, start: "2018-05-02 13:30", location: "rum 4; plan 2, norra"),
            journey.meeting(3, .meetingCancelled, sequence: 2, reason: "participant-declined"),
        ])
        let calendars = notifications.compactMap(\.calendar)
        try #require(calendars.count == 3)
        guard let parsed = try ICalendarCheck.parse(calendars) else { return }
        let (booked, moved, cancelled) = (parsed[0], parsed[1], parsed[2])

        #expect(booked.uid == "mt-4@mia")
        #expect(moved.uid == booked.uid && cancelled.uid == booked.uid, "the UID is stable across changes")
        #expect(parsed.map(\.sequence) == [0, 1, 2])
        #expect(parsed.map(\.method) == ["REQUEST", "REQUEST", "CANCEL"])
        #expect(parsed.map(\.status) == ["CONFIRMED", "CONFIRMED", "CANCELLED"])
        #expect(parsed.allSatisfy { $0.tzid == "Europe/Stockholm" && $0.timezones == ["Europe/Stockholm"] })

        #expect(booked.dtstart == "2018-03-20 10:00")
        #expect(booked.dtstartUTC == "2018-03-20 09:00", "CET is UTC+1 in March before the change")
        #expect(moved.dtstart == "2018-05-02 13:30")
        #expect(moved.dtstartUTC == "2018-05-02 11:30", "CEST is UTC+2 in May")
        #expect(moved.location == "rum 4; plan 2, norra", "escaped and read back")
        #expect(cancelled.dtstart == "2018-05-02 13:30", "the cancellation names the last known time")
        #expect(booked.summary == "Trepartsmöte bokat tisdag 20 mars 2018, anvisning ref-4")
    }

    @Test("Lines end in CRLF and fold at 75 octets without splitting a character")
    func foldingAndEscaping() throws {
        let invitation = CalendarInvitation(
            meetingId: "mt-x", sequence: 3, cancels: false, start: Journey.stockholm("2018-10-28 09:00"),
            end: Journey.stockholm("2018-10-28 10:00"), location: "rum\\1",
            summary: String(repeating: "Trepartsmöte för anvisning åäö, ", count: 6),
            description: "Rad ett;\nrad två", stamp: Journey.baseTime, organizer: "mailto:mia@example.org")
        let text = invitation.text
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare line feed")
        let lines = text.components(separatedBy: "\r\n").dropLast()
        for line in lines {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(String(validating: Array(line.utf8), as: UTF8.self) != nil)
        }
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(
            unfolded.contains("SUMMARY:" + String(repeating: "Trepartsmöte för anvisning åäö\\, ", count: 6) + "\r\n"))
        #expect(unfolded.contains("DESCRIPTION:Rad ett\\;\\nrad två\r\n"))
        #expect(unfolded.contains("LOCATION:rum\\\\1\r\n"))
        #expect(unfolded.contains("DTSTART;TZID=Europe/Stockholm:20181028T090000\r\n"), "after the change to CET")
        #expect(unfolded.contains("DTSTAMP:20180305T080000Z\r\n"))
        #expect(unfolded.contains("ORGANIZER:mailto:mia@example.org\r\n"))
        #expect(unfolded.contains("SEQUENCE:3\r\n"))
        guard let parsed = try ICalendarCheck.parse([text]) else { return }
        #expect(parsed[0].summary == String(repeating: "Trepartsmöte för anvisning åäö, ", count: 6))
        #expect(parsed[0].dtstartUTC == "2018-10-28 08:00")
    }

    @Test(
        "By e-mail an invitation names the configured ORGANIZER and its recipient as ATTENDEE; on the topic no address")
    func organizerAndAttendee() async throws {
        let receiver = try await SMTPReceiver()
        let harness = try await DeliveryHarness(
            routing: try EmailDeliveryTests.routing(receiver), organizer: "mailto:mia-notiser@forbund.example")
        let notifications = try await harness.apply([
            journey.referral(),
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
            journey.meeting(2, .meetingCancelled, sequence: 1, reason: "participant-declined"),
        ])
        try await harness.deliver(until: "delivered") { try await harness.ledger(status: "delivered").count == 3 }
        receiver.stop()

        let attachments = try receiver.mails.flatMap { mail in
            try MIMEParts(mail.data).bodies.filter { $0.type.hasPrefix("text/calendar") }.map(\.text)
        }
        #expect(attachments.count == 2)
        guard let mailed = try ICalendarCheck.parse(attachments),
            let published = try ICalendarCheck.parse(notifications.compactMap(\.calendar))
        else { return }
        #expect(Set(mailed.map(\.method)) == ["REQUEST", "CANCEL"])
        for invitation in mailed {
            #expect(
                invitation.organizer == "mailto:mia-notiser@forbund.example",
                "RFC 5546: ORGANIZER in \(invitation.method)")
            #expect(
                invitation.attendees == ["mailto:af-inbox-7@af.example"], "RFC 5546: ATTENDEE in \(invitation.method)")
        }
        #expect(published.allSatisfy { $0.organizer == "mailto:mia-notiser@forbund.example" && $0.attendees.isEmpty })
        #expect(
            !notifications.contains { $0.calendar?.contains("af-inbox-7@af.example") == true },
            "no address on the topic")
    }

    @Test("An organizer is required when invitations go by e-mail, and must be an address")
    func organizerRequired() throws {
        let email = NotificationRouting(agencyChannels: [
            .kommun: .email(
                try EmailSettings(
                    host: "127.0.0.1", from: "mia@forbund.example", recipientTemplate: "{handlaggareId}@k.example"))
        ])
        #expect {
            try NotifierConfiguration(routing: email).validated()
        } throws: { error in
            guard let error = error as? NotifierError else { return false }
            return error.code == .organizerInvalid && error.message.contains("--calendar-organizer")
                && error.message.contains("(kommun)")
        }
        #expect(throws: NotifierError.self) {
            try NotifierConfiguration(routing: email, calendarOrganizer: "MIA notiser").validated()
        }
        let valid = try NotifierConfiguration(routing: email, calendarOrganizer: "mia@forbund.example").validated()
        #expect(valid.calendarOrganizer == "mailto:mia@forbund.example")
        #expect(try NotifierConfiguration().validated().calendarOrganizer == nil, "not needed without e-mail")
    }
}
