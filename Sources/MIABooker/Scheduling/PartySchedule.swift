import Foundation
import MIAContracts

/// What the slot finder knows of one party's time: their booked meetings, their busy periods and, for staff,
/// how many meetings they have on each day.
public struct PartySchedule: Sendable, Hashable {
    /// The party's key, for example `staff:af-h-12345` or `participant:p-…`.
    public var person: String
    /// Whether the per-day meeting limit applies (staff: handläggare and insats staff).
    public var isStaff: Bool
    /// Booked meetings as `[start, end)`, without buffer.
    public var meetings: [Range<Date>]
    /// Busy periods from the party's calendar as `[start, end)`.
    public var busy: [Range<Date>]
    /// Meetings booked per local day.
    public var meetingsPerDay: [CalendarDate: Int]

    /// Creates a schedule; by default a free one.
    public init(
        person: String, isStaff: Bool, meetings: [Range<Date>] = [], busy: [Range<Date>] = [],
        meetingsPerDay: [CalendarDate: Int] = [:]
    ) {
        self.person = person
        self.isStaff = isStaff
        self.meetings = meetings
        self.busy = busy
        self.meetingsPerDay = meetingsPerDay
    }
}
