/// A request to move a booked meeting (`se.mia.meeting.reschedule-requested`, topic `mia.request.v1`,
/// keyed by participant reference). The booker answers with `se.mia.meeting.rescheduled` or
/// `se.mia.meeting.unschedulable`.
public struct MeetingRescheduleRequested: EventData {
    /// The meeting to move.
    public var meetingId: String
    /// The referral the meeting belongs to.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// Who asks.
    public var requestedBy: RequestingParty
    /// The agency's reason code, for example `illness`; a code, never free text about the person.
    public var reasonCode: String

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        meetingId: String, referralId: String, participantRef: String, requestedBy: RequestingParty, reasonCode: String
    ) {
        self.meetingId = meetingId
        self.referralId = referralId
        self.participantRef = participantRef
        self.requestedBy = requestedBy
        self.reasonCode = reasonCode
    }

    public var partitionKey: String { participantRef }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(meetingId, "meetingId")
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        check.code(reasonCode, "reasonCode")
        return check.violations
    }
}

extension ViolationCollector {
    /// Requires a machine code: letters, digits, `-`, `_` and `.`, at most 64 characters.
    mutating func code(_ value: String, _ field: String) {
        let allowed = value.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "-_.".unicodeScalars.contains($0)
        }
        if value.isEmpty || value.count > 64 || !allowed {
            add(.invalidValue, field, "must be a code of 1 to 64 letters, digits, '-', '_' or '.'")
        }
    }
}
