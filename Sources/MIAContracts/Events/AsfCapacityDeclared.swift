/// An ASF declares how many training places an activity has from a date (`se.mia.asf.capacity-declared`,
/// compacted topic `mia.asf.v1`, keyed by `<asfId>/<activity>`).
public struct AsfCapacityDeclared: EventData {
    /// The ASF's id; contains no `/`.
    public var asfId: String
    /// The activity at the ASF.
    public var activity: String
    /// The number of training places, zero or more.
    public var places: Int
    /// The first day the declaration applies.
    public var fromDate: CalendarDate
    /// Whether the activity takes participants.
    public var status: CapacityStatus

    /// Creates a value from its fields; see the properties for their meaning.
    public init(asfId: String, activity: String, places: Int, fromDate: CalendarDate, status: CapacityStatus) {
        self.asfId = asfId
        self.activity = activity
        self.places = places
        self.fromDate = fromDate
        self.status = status
    }

    /// `<asfId>/<activity>`.
    public var partitionKey: String { TopicKey.asfActivity(asfId: asfId, activity: activity) }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.asfId(asfId)
        check.nonEmpty(activity, "activity")
        check.nonNegative(places, "places")
        return check.violations
    }
}

extension ViolationCollector {
    /// Requires an ASF id that can be joined with an activity by `/` without ambiguity.
    mutating func asfId(_ value: String, _ field: String = "asfId") {
        nonEmpty(value, field)
        if value.contains("/") { add(.invalidValue, field, "must not contain /") }
    }
}
