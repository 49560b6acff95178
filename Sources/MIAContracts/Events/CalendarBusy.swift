import Foundation

/// A busy period in a staff member's calendar (`se.mia.calendar.busy`, topic `mia.calendar.v1`, keyed by
/// staff id). Published by agency calendar integrations; the booker avoids these periods.
public struct CalendarBusy: EventData {
    /// The opaque id of the calendar owner (handläggare or insats staff).
    public var staffId: String
    /// The start of the busy period.
    public var start: Date
    /// The end of the busy period; not before ``start``.
    public var end: Date
    /// The id of the busy period in the source calendar; a later event with the same id replaces it.
    public var busyId: String

    /// Creates a value from its fields; see the properties for their meaning.
    public init(staffId: String, start: Date, end: Date, busyId: String) {
        self.staffId = staffId
        self.start = start
        self.end = end
        self.busyId = busyId
    }

    public var partitionKey: String { staffId }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(staffId, "staffId")
        check.nonEmpty(busyId, "busyId")
        check.notBefore(end, start, "end", startField: "start")
        return check.violations
    }
}
