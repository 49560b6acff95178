import Foundation

/// The current places, occupancy and waitlist of one ASF activity (`se.mia.asf.capacity-status`, compacted
/// topic `mia.asf-status.v1`, keyed by `<asfId>/<activity>`).
public struct AsfCapacityStatus: EventData {
    /// The ASF's id.
    public var asfId: String
    /// The activity at the ASF.
    public var activity: String
    /// The declared places.
    public var places: Int
    /// The places taken; may exceed ``places`` after a reduction.
    public var occupied: Int
    /// The free places: `max(places - occupied, 0)`.
    public var free: Int
    /// The number of participants waiting.
    public var waitlistLength: Int
    /// Whether the activity takes participants.
    public var status: CapacityStatus
    /// When the figures were computed.
    public var asOf: Date

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        asfId: String, activity: String, places: Int, occupied: Int, free: Int, waitlistLength: Int,
        status: CapacityStatus, asOf: Date
    ) {
        self.asfId = asfId
        self.activity = activity
        self.places = places
        self.occupied = occupied
        self.free = free
        self.waitlistLength = waitlistLength
        self.status = status
        self.asOf = asOf
    }

    /// `<asfId>/<activity>`.
    public var partitionKey: String { TopicKey.asfActivity(asfId: asfId, activity: activity) }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.asfId(asfId)
        check.nonEmpty(activity, "activity")
        check.nonNegative(places, "places")
        check.nonNegative(occupied, "occupied")
        check.nonNegative(waitlistLength, "waitlistLength")
        if free != max(places - occupied, 0) {
            check.add(.invalidValue, "free", "must equal max(places - occupied, 0)")
        }
        return check.violations
    }
}
