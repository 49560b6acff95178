import Foundation
import MIAContracts

/// A meeting's place in time: its local day and its start and end instants.
public struct Slot: Sendable, Hashable {
    /// The local (Europe/Stockholm) day.
    public var day: CalendarDate
    /// The start instant.
    public var start: Date
    /// The end instant, after ``start``.
    public var end: Date

    /// Creates a slot from its fields.
    public init(day: CalendarDate, start: Date, end: Date) {
        self.day = day
        self.start = start
        self.end = end
    }
}
