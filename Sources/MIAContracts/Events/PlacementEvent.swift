/// The capacity worker's decision about one participant's ASF place, shared by `se.mia.placement.reserved`,
/// `.waitlisted`, `.placed-from-waitlist`, `.released` and `.withdrawn` (topic `mia.placement.v1`, keyed by
/// ASF id so that one ASF's places are decided in order).
public struct PlacementEvent: EventData {
    /// The referral the placement belongs to.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// The ASF's id.
    public var asfId: String
    /// The activity at the ASF.
    public var activity: String
    /// The 1-based waitlist position; required exactly for `se.mia.placement.waitlisted`.
    public var position: Int?
    /// The day the decision takes effect.
    public var date: CalendarDate

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        referralId: String, participantRef: String, asfId: String, activity: String, position: Int? = nil,
        date: CalendarDate
    ) {
        self.referralId = referralId
        self.participantRef = participantRef
        self.asfId = asfId
        self.activity = activity
        self.position = position
        self.date = date
    }

    /// The ASF id.
    public var partitionKey: String { asfId }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        check.asfId(asfId)
        check.nonEmpty(activity, "activity")
        if type == .placementWaitlisted {
            check.present(position, "position", "a waitlisted placement has a position")
            if let position { check.within(position, 1...Int(Int32.max), "position") }
        } else {
            check.absent(position, "position", "only for waitlisted placements")
        }
        return check.violations
    }
}
