import Foundation

/// The booker's view of one meeting, shared by `se.mia.meeting.booked`, `.rescheduled`, `.cancelled`
/// and `.unschedulable` (topic `mia.meeting.v1`, keyed by participant reference).
///
/// Booked and rescheduled meetings carry ``start``, ``end`` and ``location``; cancelled and unschedulable
/// ones carry a ``reason``. No names or contact details: staff appear as opaque ids.
public struct MeetingEvent: EventData {
    /// The meeting's id, stable across reschedules.
    public var meetingId: String
    /// The referral the meeting belongs to.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// The kind of meeting.
    public var kind: MeetingKind
    /// The start; required for booked and rescheduled meetings.
    public var start: Date?
    /// The end; required for booked and rescheduled meetings, after ``start``.
    public var end: Date?
    /// An opaque location reference (a room id or `video`); required for booked and rescheduled meetings.
    public var location: String?
    /// The opaque id of the handläggare who attends.
    public var handlaggareId: String
    /// The opaque id of the insats staff member who attends, when known.
    public var insatsStaffId: String?
    /// The iCalendar `SEQUENCE` of the meeting: 0 when booked, raised by each change.
    public var sequence: Int
    /// Why the meeting was cancelled or could not be scheduled, as a code; required for those types.
    public var reason: String?

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        meetingId: String, referralId: String, participantRef: String, kind: MeetingKind, start: Date? = nil,
        end: Date? = nil, location: String? = nil, handlaggareId: String, insatsStaffId: String? = nil,
        sequence: Int, reason: String? = nil
    ) {
        self.meetingId = meetingId
        self.referralId = referralId
        self.participantRef = participantRef
        self.kind = kind
        self.start = start
        self.end = end
        self.location = location
        self.handlaggareId = handlaggareId
        self.insatsStaffId = insatsStaffId
        self.sequence = sequence
        self.reason = reason
    }

    public var partitionKey: String { participantRef }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(meetingId, "meetingId")
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        check.nonEmpty(handlaggareId, "handlaggareId")
        check.nonEmpty(insatsStaffId, "insatsStaffId")
        check.nonEmpty(location, "location")
        check.nonNegative(sequence, "sequence")
        check.notBefore(end, start, "end", startField: "start")
        if type == .meetingBooked || type == .meetingRescheduled {
            check.present(start, "start", "a booked meeting has a start")
            check.present(end, "end", "a booked meeting has an end")
            check.present(location, "location", "a booked meeting has a location")
        } else {
            check.present(reason, "reason", "a cancelled or unschedulable meeting has a reason")
        }
        if let reason { check.code(reason, "reason") }
        return check.violations
    }
}
