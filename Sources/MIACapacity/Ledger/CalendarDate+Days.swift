import Foundation
import MIAContracts

extension CalendarDate {
    /// The following calendar day.
    var nextDay: CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: year, month: month, day: day))!
        return CalendarDate(calendar.date(byAdding: .day, value: 1, to: start)!, in: calendar.timeZone)
    }
}
