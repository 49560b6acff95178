import Foundation
import MIAContracts

/// The last known state of one meeting: what the notifier needs to describe it, and to withdraw it when a
/// cancellation carries no time or place of its own.
struct MeetingSnapshot: Codable, Sendable, Hashable {
    /// The booker's meeting id, stable across reschedules; the iCalendar `UID` is derived from it.
    var meetingId: String
    /// The kind of meeting.
    var kind: MeetingKind
    /// The iCalendar `SEQUENCE`: 0 when booked, raised by each change.
    var sequence: Int
    /// The start, when known.
    var start: Date?
    /// The end, when known.
    var end: Date?
    /// The opaque location reference, when known.
    var location: String?

    /// The meeting as an event describes it, completed with what `previous` knew when the event leaves a field
    /// out (a cancellation usually carries no time).
    init(_ event: MeetingEvent, completing previous: MeetingSnapshot?) {
        let known = previous?.meetingId == event.meetingId ? previous : nil
        meetingId = event.meetingId
        kind = event.kind
        sequence = event.sequence
        start = event.start ?? known?.start
        end = event.end ?? known?.end
        location = event.location ?? known?.location
    }

    init(meetingId: String, kind: MeetingKind, sequence: Int, start: Date?, end: Date?, location: String?) {
        self.meetingId = meetingId
        self.kind = kind
        self.sequence = sequence
        self.start = start
        self.end = end
        self.location = location
    }
}
