import MIAContracts

/// A calendar day as a count of days since 1970-01-01, for fast and exact date arithmetic.
///
/// Conversions use Howard Hinnant's `days_from_civil` algorithms for the proleptic Gregorian calendar.
struct SimulationDay: Hashable, Comparable, Strideable {
    /// Days since 1970-01-01.
    var number: Int

    init(number: Int) {
        self.number = number
    }

    init(_ date: CalendarDate) {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * ((date.month + 9) % 12) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        number = era * 146_097 + dayOfEra - 719_468
    }

    /// The day as year, month and day.
    var components: (year: Int, month: Int, day: Int) {
        let shifted = number + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`, for years 1000-9999.
    var text: String {
        let (year, month, day) = components
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// The year.
    var year: Int { components.year }

    /// Monday 0 ... Sunday 6 (1970-01-01 was a Thursday).
    var weekday: Int { ((number + 3) % 7 + 7) % 7 }

    /// Whether offices are open: Monday to Friday, except the Swedish holidays and eves on fixed dates
    /// (1 and 6 January, 1 May, 6 June, 24-26 and 31 December). Easter and Midsummer are not modelled.
    var isWorkingDay: Bool {
        guard weekday < 5 else { return false }
        let (_, month, day) = components
        switch (month, day) {
        case (1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31): return false
        default: return true
        }
    }

    /// This day if it is a working day, else the next working day.
    var workingDayOrNext: SimulationDay {
        var day = self
        while !day.isWorkingDay { day = day + 1 }
        return day
    }

    /// This day if it is a working day, else the previous working day.
    var workingDayOrPrevious: SimulationDay {
        var day = self
        while !day.isWorkingDay { day = day - 1 }
        return day
    }

    /// The same day `count` months later, clamped to the month's last day.
    func addingMonths(_ count: Int) -> SimulationDay {
        let (year, month, day) = components
        let monthIndex = year * 12 + (month - 1) + count
        let newYear = monthIndex / 12
        let newMonth = monthIndex % 12 + 1
        let newDay = min(day, CalendarDate.daysInMonth(year: newYear, month: newMonth))
        return SimulationDay(CalendarDate(year: newYear, month: newMonth, day: newDay)!)
    }

    static func < (lhs: SimulationDay, rhs: SimulationDay) -> Bool { lhs.number < rhs.number }

    func distance(to other: SimulationDay) -> Int { other.number - number }

    func advanced(by days: Int) -> SimulationDay { SimulationDay(number: number + days) }

    static func + (day: SimulationDay, days: Int) -> SimulationDay { day.advanced(by: days) }

    static func - (day: SimulationDay, days: Int) -> SimulationDay { day.advanced(by: -days) }
}
