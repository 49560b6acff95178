import Foundation
import MIAContracts

extension CalendarDate {
    /// Today in Stockholm: the reference date `mia publish` checks personnummer and ages against.
    static func todayInStockholm() -> CalendarDate {
        CalendarDate(Date(), in: TimeZone(identifier: "Europe/Stockholm")!)
    }
}
