import MIAContracts

/// Office hours in Europe/Stockholm written as UTC instants, with the EU daylight-saving rule (CEST from
/// the last Sunday of March to the last Sunday of October), without depending on the host's time zone data.
enum StockholmTime {
    /// The RFC 3339 UTC text of a local time on a working day, for example `2018-03-20T08:00:00Z`.
    /// - Parameters:
    ///   - day: The local day.
    ///   - minuteOfDay: Local minutes after midnight, within office hours (so the UTC day is the same).
    static func utcText(day: SimulationDay, minuteOfDay: Int) -> String {
        let utcMinute = minuteOfDay - 60 * offsetHours(on: day)
        return "\(day.text)T\(twoDigits(utcMinute / 60)):\(twoDigits(utcMinute % 60)):00Z"
    }

    /// The UTC offset in hours during the day: 2 in summer time, else 1.
    static func offsetHours(on day: SimulationDay) -> Int {
        let year = day.year
        let summerStart = lastSunday(year: year, month: 3)
        let summerEnd = lastSunday(year: year, month: 10)
        return day >= summerStart && day < summerEnd ? 2 : 1
    }

    private static func lastSunday(year: Int, month: Int) -> SimulationDay {
        let last = SimulationDay(
            CalendarDate(year: year, month: month, day: CalendarDate.daysInMonth(year: year, month: month))!)
        return last - (last.weekday + 1) % 7
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
