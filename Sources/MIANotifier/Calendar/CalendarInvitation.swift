import Foundation

/// An iCalendar (RFC 5545) invitation to one meeting (`METHOD:REQUEST`) or its withdrawal (`METHOD:CANCEL`), as
/// attached to meeting notifications.
///
/// The `UID` is derived from the meeting id, so calendar clients replace the earlier invitation when a meeting is
/// moved or cancelled; `SEQUENCE` is the booker's, raised by each change. Times are written in Europe/Stockholm
/// local time with its `VTIMEZONE`.
struct CalendarInvitation: Sendable, Hashable {
    /// The meeting's id at the booker.
    var meetingId: String
    /// The booker's sequence of the meeting.
    var sequence: Int
    /// Whether the invitation withdraws the meeting.
    var cancels: Bool
    /// The start, when known (a cancellation may not know it).
    var start: Date?
    /// The end, when known.
    var end: Date?
    /// The location reference, when known.
    var location: String?
    /// The `SUMMARY`: the notification's subject.
    var summary: String
    /// The `DESCRIPTION`: the notification's body.
    var description: String
    /// The `DTSTAMP`: when the change happened.
    var stamp: Date
    /// The `ORGANIZER` calendar address (a `mailto:` URI), if configured.
    var organizer: String?

    /// The `UID`: `<meetingId>@mia`.
    var uid: String { "\(meetingId)@mia" }

    /// The iCalendar object, with CRLF line endings.
    var text: String {
        var ics = ICalendarLines()
        ics.add("BEGIN", raw: "VCALENDAR")
        ics.add("PRODID", raw: "-//MIAFlow//mia-notifier//SV")
        ics.add("VERSION", raw: "2.0")
        ics.add("CALSCALE", raw: "GREGORIAN")
        ics.add("METHOD", raw: cancels ? "CANCEL" : "REQUEST")
        if start != nil || end != nil { ics.add(lines: StockholmTimeZone.component) }
        ics.add("BEGIN", raw: "VEVENT")
        ics.add("UID", text: uid)
        ics.add("DTSTAMP", raw: Self.utc(stamp))
        ics.add("SEQUENCE", raw: String(sequence))
        if let start { ics.add("DTSTART", "TZID=\(StockholmTimeZone.id)", raw: Self.stockholm(start)) }
        if let end { ics.add("DTEND", "TZID=\(StockholmTimeZone.id)", raw: Self.stockholm(end)) }
        if let organizer { ics.add("ORGANIZER", raw: organizer) }
        ics.add("SUMMARY", text: summary)
        ics.add("DESCRIPTION", text: description)
        if let location { ics.add("LOCATION", text: location) }
        ics.add("STATUS", raw: cancels ? "CANCELLED" : "CONFIRMED")
        ics.add("TRANSP", raw: "OPAQUE")
        ics.add("END", raw: "VEVENT")
        ics.add("END", raw: "VCALENDAR")
        return ics.text
    }

    /// `20180320T100000`: local time in Europe/Stockholm.
    private static func stockholm(_ date: Date) -> String {
        format(date, in: SwedishText.stockholm)
    }

    /// `20180320T090000Z`.
    private static func utc(_ date: Date) -> String {
        format(date, in: TimeZone(identifier: "UTC")!) + "Z"
    }

    private static func format(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T" + pad(parts.hour, 2)
            + pad(parts.minute, 2) + pad(parts.second, 2)
    }
}
