import Foundation

extension CalendarInvitation {
    /// An invitation with the handläggare it is sent to as its `ATTENDEE` (RFC 5546 §3.2.2 and §3.2.5: a `REQUEST`
    /// and a `CANCEL` name the attendees), added where the message is written for one recipient: the e-mail channel,
    /// which knows the address. The invitation published on `mia.notification.v1` names no attendee, so that no
    /// person's address reaches a topic.
    /// - Parameters:
    ///   - address: The recipient's address, already checked by `EmailAddress`.
    ///   - text: The invitation, as ``text`` writes it.
    /// - Returns: The invitation with the `ATTENDEE` line in its `VEVENT`, or `text` unchanged when it has none.
    static func addingAttendee(_ address: String, to text: String) -> String {
        guard let end = text.range(of: "\r\nEND:VEVENT\r\n") else { return text }
        let request = !text.contains("\r\nMETHOD:CANCEL\r\n")
        let parameters =
            "CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT" + (request ? ";PARTSTAT=NEEDS-ACTION;RSVP=FALSE" : "")
        var line = ICalendarLines()
        line.add("ATTENDEE", parameters, raw: "mailto:\(address)")
        // `line.text` ends in CRLF, one Character.
        return text[..<end.lowerBound] + "\r\n" + line.text.dropLast() + text[end.lowerBound...]
    }
}
