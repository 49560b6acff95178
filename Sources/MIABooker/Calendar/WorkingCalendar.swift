import Foundation
import MIAContracts

/// Working days and local wall-clock time in Europe/Stockholm: the calendar meetings are booked in.
///
/// A working day is Monday to Friday, neither a legal holiday nor Midsummer Eve, Christmas Eve or New Year's
/// Eve (see ``SwedishHolidays``). Times are local wall-clock minutes, converted to instants with the time
/// zone's rules, so 09:00 stays 09:00 across the daylight-saving changes.
public struct WorkingCalendar: Sendable {
    /// The time zone of office hours.
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// Europe/Stockholm, the programme's time zone.
    public static let stockholm = TimeZone(identifier: "Europe/Stockholm")!

    /// Creates a calendar in `timeZone` (default Europe/Stockholm).
    public init(timeZone: TimeZone = WorkingCalendar.stockholm) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// Whether meetings may be booked on `day`.
    public func isWorkingDay(_ day: CalendarDate) -> Bool {
        guard day.isoWeekday <= 5 else { return false }
        if let days = Self.daysOff[day.year] { return !days.contains(day) }
        return SwedishHolidays.legalHolidays(in: day.year)[day] == nil
            && SwedishHolidays.deFactoHolidays(in: day.year)[day] == nil
    }

    /// Holidays and eves of 1970-2199, computed once: the slot finder asks for every candidate day.
    private static let daysOff: [Int: Set<CalendarDate>] = Dictionary(
        uniqueKeysWithValues: (1970...2199).map { year in
            (
                year,
                Set(SwedishHolidays.legalHolidays(in: year).keys).union(SwedishHolidays.deFactoHolidays(in: year).keys)
            )
        })

    /// The first working day after `day`.
    public func nextWorkingDay(after day: CalendarDate) -> CalendarDate {
        var next = day.adding(days: 1)
        while !isWorkingDay(next) { next = next.adding(days: 1) }
        return next
    }

    /// `day` when it is a working day, else the next one.
    public func workingDay(onOrAfter day: CalendarDate) -> CalendarDate {
        isWorkingDay(day) ? day : nextWorkingDay(after: day)
    }

    /// `count` consecutive working days, the first on or after `day`.
    public func workingDays(from day: CalendarDate, count: Int) -> [CalendarDate] {
        guard count > 0 else { return [] }
        var days = [workingDay(onOrAfter: day)]
        while days.count < count { days.append(nextWorkingDay(after: days[days.count - 1])) }
        return days
    }

    /// The working days from `first` through `last`, both included.
    public func workingDays(from first: CalendarDate, through last: CalendarDate) -> [CalendarDate] {
        var days: [CalendarDate] = []
        var day = first
        while day <= last {
            if isWorkingDay(day) { days.append(day) }
            day = day.adding(days: 1)
        }
        return days
    }

    /// The instant of local wall-clock time `minute` (minutes after midnight) on `day`.
    public func instant(_ day: CalendarDate, minute: Int) -> Date {
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        // Office hours never fall in the 02:00-03:00 gap of the spring change, so every such time exists.
        return calendar.date(from: components)!
    }

    /// The local date of an instant.
    public func day(of instant: Date) -> CalendarDate { CalendarDate(instant, in: timeZone) }

    /// The local wall-clock minute after midnight of an instant.
    public func minute(of instant: Date) -> Int {
        let components = calendar.dateComponents([.hour, .minute], from: instant)
        return (components.hour ?? 0) * 60 + (components.minute ?? 0)
    }
}
