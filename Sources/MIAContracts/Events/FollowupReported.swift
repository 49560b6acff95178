/// A follow-up during an insats: feedback, a meeting held, a plan change, an extension or an approaching
/// end (`se.mia.followup.reported`, topic `mia.followup.v1`, keyed by participant reference).
public struct FollowupReported: EventData {
    /// The follow-up's id, unique per report.
    public var followupId: String
    /// The referral the follow-up belongs to.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// What is reported.
    public var kind: FollowupKind
    /// The day it happened.
    public var date: CalendarDate
    /// When the next follow-up is due, if agreed.
    public var nextFollowupDue: CalendarDate?
    /// The new planned last day; required exactly when ``kind`` is ``FollowupKind/insatsExtended``.
    public var newPlannedEnd: CalendarDate?

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        followupId: String, referralId: String, participantRef: String, kind: FollowupKind, date: CalendarDate,
        nextFollowupDue: CalendarDate? = nil, newPlannedEnd: CalendarDate? = nil
    ) {
        self.followupId = followupId
        self.referralId = referralId
        self.participantRef = participantRef
        self.kind = kind
        self.date = date
        self.nextFollowupDue = nextFollowupDue
        self.newPlannedEnd = newPlannedEnd
    }

    public var partitionKey: String { participantRef }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(followupId, "followupId")
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        check.notBefore(nextFollowupDue, date, "nextFollowupDue", startField: "date")
        if kind == .insatsExtended {
            check.present(newPlannedEnd, "newPlannedEnd", "an extension needs the new planned end")
        } else {
            check.absent(newPlannedEnd, "newPlannedEnd", "only for kind insatsExtended")
        }
        return check.violations
    }
}
