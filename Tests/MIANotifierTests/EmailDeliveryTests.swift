import Foundation
import MIAContracts
import MIANotifier
import MIAWorkerRuntime
import Testing

@Suite("E-mail delivery: MIME with the iCalendar attachment, through an SMTP relay on loopback")
struct EmailDeliveryTests {
    static func routing(_ receiver: SMTPReceiver) throws -> NotificationRouting {
        NotificationRouting(agencyChannels: [
            .af: .email(
                try EmailSettings(
                    host: "127.0.0.1", port: receiver.port, from: "mia-notiser@forbund.example",
                    recipientTemplate: "{contactChannel}@af.example", timeout: .seconds(5)))
        ])
    }

    @Test("A booked meeting arrives as text/plain and a text/calendar REQUEST attachment")
    func invitation() async throws {
        let receiver = try await SMTPReceiver()
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver))
        let journey = Journey(index: 50)
        let notifications = try await harness.apply([
            journey.referral(),
            journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
        ])
        let meeting = try #require(notifications.last)
        #expect(meeting.channel == "email")
        try await harness.deliver(until: "delivered") { try await harness.ledger(status: "delivered").count == 2 }
        receiver.stop()

        let mail = try #require(
            receiver.mails.first { $0.data.contains("X-MIA-Notification-Id: \(meeting.notificationId)") })
        #expect(receiver.mails.count == 2)
        #expect(mail.from == "mia-notiser@forbund.example")
        #expect(mail.to == "af-inbox-7@af.example", "the address comes from the configuration, by contact channel")
        let parts = try MIMEParts(mail.data)
        #expect(parts.headers["Subject"].map(MIMEParts.decodeWords) == meeting.subject)
        #expect(parts.headers["Content-Type"]?.hasPrefix("multipart/mixed") == true)
        #expect(parts.bodies.count == 2)
        #expect(parts.bodies[0].type == "text/plain; charset=UTF-8")
        #expect(parts.bodies[0].text == meeting.body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(parts.bodies[1].type.hasPrefix("text/calendar; charset=UTF-8; method=REQUEST"))
        let calendar = try #require(meeting.calendar)
        #expect(!calendar.contains("ATTENDEE"), "the invitation on the topic names no address")
        let attachment = parts.bodies[1].text
        #expect(attachment.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 }, "folded")
        #expect(
            attachment.replacingOccurrences(of: "\r\n ", with: "")
                == calendar.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(
                    of: "\r\nEND:VEVENT",
                    with:
                        "\r\nATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:af-inbox-7@af.example\r\nEND:VEVENT"
                ),
            "the mail's invitation names its recipient as ATTENDEE")
        #expect(!mail.data.contains(journey.participantRef))
    }

    @Test("A 4xx reply is retried, a 5xx reply dead-letters at once")
    func replies() async throws {
        let receiver = try await SMTPReceiver(endingDataWith: [451, 554])
        let harness = try await DeliveryHarness(routing: try Self.routing(receiver))
        let first = try #require(try await harness.apply([Journey(index: 51).referral()]).first)
        try await harness.deliver(until: "first settled") {
            try await harness.ledger(first.notificationId)?["status"].text.map { ["delivered", "dead"].contains($0) }
                ?? false
        }
        let second = try #require(try await harness.apply([Journey(index: 52).referral()]).first)
        try await harness.deliver(until: "second settled") {
            try await harness.ledger(second.notificationId)?["status"].text.map { ["delivered", "dead"].contains($0) }
                ?? false
        }
        receiver.stop()

        // The first got 451 then 554: dead after two attempts; the second was accepted at once.
        #expect(receiver.mails.map(\.reply) == [451, 554, 250])
        let dead = try #require(try await harness.ledger(first.notificationId))
        #expect(dead["status"] == "dead")
        #expect(dead["attempts"].integer == 2)
        #expect(dead["last_result"] == "email delivery refused: smtp 554 (attempt 2)")
        #expect(try await harness.ledger(second.notificationId)?["status"] == "delivered")
        #expect(try await harness.deadLetters().count == 1)
    }
}

/// The top-level headers and the decoded parts of a `multipart/mixed` message.
struct MIMEParts {
    /// Header text of RFC 2047 `=?UTF-8?B?…?=` words separated by spaces, decoded and joined.
    static func decodeWords(_ header: String) -> String {
        let bytes = header.split(separator: " ").flatMap { word -> [UInt8] in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            else { return Array(word.utf8) }
            return Array(data)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    var headers: [String: String] = [:]
    var bodies: [(type: String, text: String)] = []

    init(_ message: String) throws {
        let sections = message.components(separatedBy: "\r\n\r\n")
        // Unfold continuation lines (RFC 5322 §2.2.3) before splitting the headers.
        for line in sections[0].replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = String(line[line.index(colon, offsetBy: 2)...])
        }
        let boundary = try #require(headers["Content-Type"]?.components(separatedBy: "boundary=\"").last?.dropLast())
        for part in message.components(separatedBy: "--\(boundary)").dropFirst() where !part.hasPrefix("--") {
            let pieces = part.components(separatedBy: "\r\n\r\n")
            let type = pieces[0].components(separatedBy: "\r\n").first { $0.hasPrefix("Content-Type: ") }?.dropFirst(14)
            let encoded = pieces[1].replacingOccurrences(of: "\r\n", with: "")
            let data = try #require(Data(base64Encoded: encoded))
            bodies.append((String(type ?? ""), String(decoding: data, as: UTF8.self)))
        }
    }
}
