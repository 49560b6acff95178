/// A request to withdraw a participant from an ASF place or waitlist (`se.mia.placement.withdraw-requested`,
/// topic `mia.request.v1`, keyed by participant reference). The capacity worker answers with
/// `se.mia.placement.withdrawn`.
public struct PlacementWithdrawRequested: EventData {
    /// The referral whose placement is withdrawn.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// The ASF's id.
    public var asfId: String
    /// The activity at the ASF.
    public var activity: String

    /// Creates a value from its fields; see the properties for their meaning.
    public init(referralId: String, participantRef: String, asfId: String, activity: String) {
        self.referralId = referralId
        self.participantRef = participantRef
        self.asfId = asfId
        self.activity = activity
    }

    public var partitionKey: String { participantRef }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        check.asfId(asfId)
        check.nonEmpty(activity, "activity")
        return check.violations
    }
}
