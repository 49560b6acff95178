import Foundation
import MIAContracts

/// A meeting's place in time: its local day and its start and end instants.
public struct Slot: Sendable, Hashable {
    /// The local (Europe/Stockholm) day.
    public var day: CalendarDate
    public var start: Date
    public var end: Date

    public init(day: CalendarDate, start: Date, end: Date) {
        self.day = day
        self.start = start
        self.end = end
    }
}
