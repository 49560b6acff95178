import Foundation
import MIAContracts

extension Notice {
    /// The notice an anvisning gives: the insats received it and will call to book a trepartsmöte.
    init(received referral: ReferralCreated, at time: Date) {
        self.init(
            kind: .referralReceived, referralId: referral.referralId, occurrence: "referral/\(referral.referralId)",
            urgent: false, time: time,
            values: [
                "plannedStart": SwedishText.day(referral.plannedStart),
                "plannedEnd": SwedishText.day(referral.plannedEnd),
            ])
    }

    /// The notice an event of the booker, the capacity worker or an agency gives, or `nil` for an event the
    /// handläggare need not hear about (a released or withdrawn place, an anvisning: see ``init(received:at:)``).
    ///
    /// - Parameters:
    ///   - event: The event.
    ///   - meeting: For meeting events, the meeting as last known, completed by the event.
    init?(for event: CloudEvent, meeting: MeetingSnapshot?) {
        let time = event.time
        switch event.payload {
        case .meetingBooked(let data):
            self.init(meeting: data, meeting, kind: .meetingBooked, event: event)
        case .meetingRescheduled(let data):
            self.init(meeting: data, meeting, kind: .meetingRescheduled, event: event)
        case .meetingCancelled(let data):
            self.init(meeting: data, meeting, kind: .meetingCancelled, event: event)
        case .meetingUnschedulable(let data):
            self.init(meeting: data, meeting, kind: .meetingUnschedulable, event: event)
        case .followupReported(let followup):
            var values = ["date": SwedishText.day(followup.date), "followup": SwedishText.followup(followup.kind)]
            values["nextFollowupDue"] = followup.nextFollowupDue.map(SwedishText.day)
            values["newPlannedEnd"] = followup.newPlannedEnd.map(SwedishText.day)
            self.init(
                kind: followup.kind == .approachingEnd ? .approachingEnd : .followupReported,
                referralId: followup.referralId, occurrence: "followup/\(followup.followupId)", urgent: false,
                time: time, values: values)
        case .placementReserved(let placement):
            self.init(placement: placement, kind: .placementReserved, event: event)
        case .placementWaitlisted(let placement):
            self.init(placement: placement, kind: .placementWaitlisted, event: event)
        case .placementPlacedFromWaitlist(let placement):
            self.init(placement: placement, kind: .placementFromWaitlist, event: event)
        case .outcomeRecorded(let outcome):
            self.init(
                kind: .outcomeRecorded, referralId: outcome.referralId, occurrence: "outcome/\(outcome.referralId)",
                urgent: false, time: time,
                values: [
                    "endDate": SwedishText.day(outcome.endDate),
                    "outcome": SwedishText.outcome(outcome.outcome, provider: outcome.ordinaryProgrammeProvider),
                ])
        default:
            return nil
        }
    }

    private init(meeting data: MeetingEvent, _ snapshot: MeetingSnapshot?, kind: NotificationKind, event: CloudEvent) {
        let meeting = snapshot ?? MeetingSnapshot(data, completing: nil)
        let name = SwedishText.meeting(meeting.kind)
        var values = ["meeting": name, "Meeting": SwedishText.capitalized(name)]
        values["when"] = meeting.start.map { SwedishText.period(start: $0, end: meeting.end) }
        values["day"] = meeting.start.map(SwedishText.day)
        values["location"] = meeting.location
        values["reason"] = data.reason
        let invitation: Invitation? =
            switch kind {
            case .meetingBooked, .meetingRescheduled: Invitation(meeting: meeting, cancels: false)
            case .meetingCancelled: Invitation(meeting: meeting, cancels: true)
            default: nil
            }
        self.init(
            kind: kind, referralId: data.referralId,
            occurrence: "\(event.type.name)/\(data.meetingId)/\(data.sequence)", urgent: kind == .meetingUnschedulable,
            time: event.time, values: values, invitation: invitation)
    }

    private init(placement: PlacementEvent, kind: NotificationKind, event: CloudEvent) {
        var values = [
            "asfId": placement.asfId, "activity": placement.activity, "date": SwedishText.day(placement.date),
        ]
        values["position"] = placement.position.map(String.init)
        self.init(
            kind: kind, referralId: placement.referralId,
            occurrence: "\(event.type.name)/\(placement.referralId)/\(placement.asfId)/\(placement.date)",
            urgent: false, time: event.time, values: values)
    }
}
