import Foundation
import MIABooker
import MIAContracts
import MIAWorkerTestKit
import Testing

/// The holiday calendar against a table written here from Lag 1989:253, independently of the module's
/// computus, and against Python's `holidays` package when it is installed.
@Suite("Swedish holidays and working days, 2017-2030")
struct HolidayTests {
    /// Easter Sundays 2017-2030 as published in the church calendars (not computed).
    static let easter: [Int: (month: Int, day: Int)] = [
        2017: (4, 16), 2018: (4, 1), 2019: (4, 21), 2020: (4, 12), 2021: (4, 4), 2022: (4, 17), 2023: (4, 9),
        2024: (3, 31), 2025: (4, 20), 2026: (4, 5), 2027: (3, 28), 2028: (4, 16), 2029: (4, 1), 2030: (4, 21),
    ]

    /// Day of the week by Zeller's congruence, 0 = Saturday … 6 = Friday: independent of the module's arithmetic.
    static func zeller(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let m = month < 3 ? month + 12 : month
        let y = month < 3 ? year - 1 : year
        return (day + 13 * (m + 1) / 5 + y % 100 + y % 100 / 4 + y / 100 / 4 + 5 * (y / 100)) % 7
    }

    /// The legal holidays of a year other than Sundays, by the law's rules, as `YYYY-MM-DD`.
    static func expectedLegal(_ year: Int) -> Set<String> {
        var foundation = Calendar(identifier: .gregorian)
        foundation.timeZone = TimeZone(identifier: "UTC")!
        func text(_ date: Date) -> String {
            let c = foundation.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }
        let (month, day) = easter[year]!
        let sunday = foundation.date(from: DateComponents(year: year, month: month, day: day))!
        func easterPlus(_ days: Int) -> String { text(sunday.addingTimeInterval(Double(days) * 86_400)) }
        // The Saturday among consecutive days: Midsummer Day 20-26 June, All Saints' Day 31 Oct-6 Nov.
        let midsummer = (20...26).first { zeller(year, 6, $0) == 0 }!
        let allSaints =
            zeller(year, 10, 31) == 0
            ? String(format: "%04d-10-31", year)
            : String(format: "%04d-11-%02d", year, (1...6).first { zeller(year, 11, $0) == 0 }!)
        return [
            String(format: "%04d-01-01", year), String(format: "%04d-01-06", year), easterPlus(-2), easterPlus(0),
            easterPlus(1), String(format: "%04d-05-01", year), easterPlus(39), easterPlus(49),
            String(format: "%04d-06-06", year), String(format: "%04d-06-%02d", year, midsummer), allSaints,
            String(format: "%04d-12-25", year), String(format: "%04d-12-26", year),
        ]
    }

    @Test("Legal holidays equal the table built from the law's rules", arguments: 2017...2030)
    func legalHolidays(year: Int) {
        let computed = Set(SwedishHolidays.legalHolidays(in: year).keys.map(\.description))
        #expect(computed == Self.expectedLegal(year))
        #expect(
            SwedishHolidays.easterSunday(year).description
                == String(format: "%04d-%02d-%02d", year, Self.easter[year]!.0, Self.easter[year]!.1))
    }

    @Test("Two holidays on one day (Ascension Day on 1 May 2008) are one day off with both names")
    func coincidingHolidays() {
        let names = SwedishHolidays.legalHolidays(in: 2008)[day(2008, 5, 1)]
        #expect(names?.contains("Första maj") == true && names?.contains("Kristi himmelsfärds dag") == true)
        #expect(SwedishHolidays.legalHolidays(in: 2008).count == 12)
        #expect(!WorkingCalendar().isWorkingDay(day(2008, 5, 1)))
    }

    @Test("Working days: Monday-Friday without holidays and the three eves, every day of 2017-2030")
    func workingDays() {
        let calendar = WorkingCalendar()
        var day = CalendarDate(year: 2017, month: 1, day: 1)!
        var working = 0
        while day.year <= 2030 {
            let legal = Self.expectedLegal(day.year)
            let midsummerDay = legal.first { $0.hasPrefix(String(format: "%04d-06-2", day.year)) }!
            let midsummerEve = String(format: "%04d-06-%02d", day.year, Int(midsummerDay.suffix(2))! - 1)
            let eves: Set = [
                midsummerEve, String(format: "%04d-12-24", day.year), String(format: "%04d-12-31", day.year),
            ]
            let weekday = Self.zeller(day.year, day.month, day.day)
            let expected =
                weekday >= 2 && !legal.contains(day.description) && !eves.contains(day.description)
            #expect(calendar.isWorkingDay(day) == expected, "\(day)")
            if expected { working += 1 }
            day = next(day)
        }
        // About 250 working days a year.
        #expect((14 * 245...14 * 253).contains(working), "\(working)")
    }

    private func next(_ day: CalendarDate) -> CalendarDate {
        if day.day < CalendarDate.daysInMonth(year: day.year, month: day.month) {
            return CalendarDate(year: day.year, month: day.month, day: day.day + 1)!
        }
        return day.month < 12
            ? CalendarDate(year: day.year, month: day.month + 1, day: 1)!
            : CalendarDate(year: day.year + 1, month: 1, day: 1)!
    }

    /// Whether `python3` can import `holidays`.
    static let pythonHolidaysAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import holidays"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    @Test(
        "Cross-check with Python's holidays package (Sweden, without Sundays)",
        .enabled(
            if: pythonHolidaysAvailable,
            "SKIPPED: python3 with the holidays package is not installed (run scripts/ensure-deps.sh test)"))
    func pythonCrossCheck() async throws {
        let script = """
            import holidays
            for day in sorted(holidays.Sweden(years=range(2017, 2031), include_sundays=False)):
                print(day.isoformat())
            """
        let output = try await runToCompletion("python3", ["-c", script])
        #expect(output.status == 0, "\(output.stderr)")
        let python = Set(output.stdout.split(separator: "\n").map(String.init))
        let ours = Set((2017...2030).flatMap { SwedishHolidays.legalHolidays(in: $0).keys.map(\.description) })
        #expect(python.count > 13 * 14 - 5, "python listed \(python.count) days")
        #expect(ours.subtracting(python).sorted() == [], "ours, not Python's")
        #expect(python.subtracting(ours).sorted() == [], "Python's, not ours")
    }
}
