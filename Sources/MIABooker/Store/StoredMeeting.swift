import Foundation
import MIAContracts
import MIAWorkerRuntime

/// One row of `booker_meetings`.
struct StoredMeeting: Sendable, Hashable {
    var meetingId: String
    var referralId: String
    var participantRef: String
    var kind: MeetingKind
    var status: MeetingStatus
    var slot: Slot?
    var location: String?
    var handlaggareId: String
    var insatsStaffId: String?
    var sequence: Int
    var reason: String?

    /// The meeting as an event body.
    var event: MeetingEvent {
        MeetingEvent(
            meetingId: meetingId, referralId: referralId, participantRef: participantRef, kind: kind,
            start: slot?.start, end: slot?.end, location: location, handlaggareId: handlaggareId,
            insatsStaffId: insatsStaffId, sequence: sequence, reason: reason)
    }

    /// The occupancy keys of its parties: the handläggare, the insats staff member (staff) and the participant.
    var parties: [(person: String, isStaff: Bool)] {
        var parties = [(BookerState.staffKey(handlaggareId), true)]
        if let insatsStaffId, insatsStaffId != handlaggareId {
            parties.append((BookerState.staffKey(insatsStaffId), true))
        }
        parties.append((BookerState.participantKey(participantRef), false))
        return parties
    }

    init(
        meetingId: String, referralId: String, participantRef: String, kind: MeetingKind, status: MeetingStatus,
        slot: Slot? = nil, location: String? = nil, handlaggareId: String, insatsStaffId: String?, sequence: Int,
        reason: String? = nil
    ) {
        self.meetingId = meetingId
        self.referralId = referralId
        self.participantRef = participantRef
        self.kind = kind
        self.status = status
        self.slot = slot
        self.location = location
        self.handlaggareId = handlaggareId
        self.insatsStaffId = insatsStaffId
        self.sequence = sequence
        self.reason = reason
    }

    init?(_ row: SQLRow) {
        guard let meetingId = row["meeting_id"].text, let referralId = row["referral_id"].text,
            let participantRef = row["participant_ref"].text,
            let kind = row["kind"].text.flatMap(MeetingKind.init(rawValue:)),
            let status = row["status"].text.flatMap(MeetingStatus.init(rawValue:)),
            let handlaggareId = row["handlaggare_id"].text, let sequence = row["sequence"].integer
        else { return nil }
        if let start = row["start_at"].integer, let end = row["end_at"].integer,
            let day = row["local_day"].text.flatMap({ CalendarDate($0) })
        {
            slot = Slot(
                day: day, start: Date(timeIntervalSince1970: TimeInterval(start)),
                end: Date(timeIntervalSince1970: TimeInterval(end)))
        }
        self.meetingId = meetingId
        self.referralId = referralId
        self.participantRef = participantRef
        self.kind = kind
        self.status = status
        location = row["location"].text
        self.handlaggareId = handlaggareId
        insatsStaffId = row["insats_staff_id"].text
        self.sequence = Int(sequence)
        reason = row["reason"].text
    }
}
