import MIAContracts

/// Writes the notification of a notice to its recipient: the rendered text, the channel, and for meetings the
/// calendar invitation.
struct NotificationComposer: Sendable {
    let configuration: NotifierConfiguration

    /// The notification of `notice` to `recipient`, with the given id.
    func compose(_ notice: Notice, to recipient: Recipient, id: String) -> NotificationRequested {
        var values = notice.values
        values["referralId"] = recipient.referralId
        values["agencyCaseRef"] = recipient.agencyCaseRef
        let text = configuration.templates.render(notice.kind, values: values)
        let calendar = notice.invitation.map { invitation in
            CalendarInvitation(
                meetingId: invitation.meeting.meetingId, sequence: invitation.meeting.sequence,
                cancels: invitation.cancels, start: invitation.meeting.start, end: invitation.meeting.end,
                location: invitation.meeting.location, summary: text.subject, description: text.body,
                stamp: notice.time, organizer: configuration.calendarOrganizer
            ).text
        }
        return NotificationRequested(
            notificationId: id, kind: notice.kind, handlaggareId: recipient.handlaggareId, agency: recipient.agency,
            referralId: recipient.referralId, agencyCaseRef: recipient.agencyCaseRef,
            channel: configuration.routing.channel(for: recipient.agency).name, subject: text.subject,
            body: text.body, urgent: notice.urgent, calendar: calendar)
    }
}
