import Foundation
import MIAContracts

/// The MIME (RFC 2045-2049) message of an e-mail delivery: `multipart/mixed` with the text as `text/plain` and
/// each calendar invitation as a `text/calendar` attachment (`method=REQUEST` or `CANCEL`), every part in UTF-8
/// and base64, so that lines stay short and 8-bit-clean for any relay.
///
/// Each invitation names the recipient as its `ATTENDEE` (see ``CalendarInvitation/addingAttendee(_:to:)``). The
/// subject is the notification's (RFC 2047 encoded); a digest's subject counts its notifications and its
/// text gives each one's subject and body in turn. `Message-ID` is derived from the delivery id, so a resend
/// after a crash can be recognised, and `X-MIA-Notification-Id` carries the id itself.
struct EmailMessage: Sendable {
    var from: String
    var to: String
    var message: OutgoingMessage
    var date: Date

    /// The message's bytes with CRLF line endings, before SMTP dot-stuffing.
    var text: String {
        let boundary = "mia-\(message.id)"
        var lines = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedWords(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(message.id)@mia-notifier>",
            "X-MIA-Notification-Id: \(message.id)",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        lines += Self.base64Lines(body)
        let calendars = message.notifications.compactMap(\.calendar)
        for (index, calendar) in calendars.enumerated() {
            let method = calendar.contains("\r\nMETHOD:CANCEL\r\n") ? "CANCEL" : "REQUEST"
            let name = calendars.count == 1 ? "invitation.ics" : "invitation-\(index + 1).ics"
            lines += [
                "--\(boundary)",
                "Content-Type: text/calendar; charset=UTF-8; method=\(method); name=\"\(name)\"",
                "Content-Disposition: attachment; filename=\"\(name)\"",
                "Content-Transfer-Encoding: base64",
                "",
            ]
            lines += Self.base64Lines(CalendarInvitation.addingAttendee(to, to: calendar))
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The notification's subject, or a digest's.
    var subject: String {
        guard message.isDigest else { return message.notifications.first?.subject ?? "" }
        let count = message.notifications.count
        return "Sammanfattning från MIA: \(count) \(count == 1 ? "meddelande" : "meddelanden")"
    }

    /// The notification's body, or each of a digest's notifications in turn.
    var body: String {
        guard message.isDigest else { return message.notifications.first?.body ?? "" }
        return message.notifications.map { "\($0.subject)\n\n\($0.body)" }.joined(separator: "\n\n----------\n\n")
    }

    /// Text as base64 in lines of 76 characters.
    private static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(
            text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8
        )
        .base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(
                encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    /// Header text on one logical line: as is when ASCII, else RFC 2047 encoded words of at most 75 characters
    /// (45 bytes of UTF-8 each, never splitting a character), folded onto continuation lines.
    private static func encodedWords(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard flat.unicodeScalars.contains(where: { !$0.isASCII }) else { return flat }
        var chunks: [[UInt8]] = [[]]
        for character in flat {
            let bytes = Array(String(character).utf8)
            if chunks[chunks.count - 1].count + bytes.count > 45 { chunks.append([]) }
            chunks[chunks.count - 1] += bytes
        }
        return chunks.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// `Tue, 20 Mar 2018 10:00:00 +0000`.
    private static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
