import MIAContracts

/// Swedish public holidays (Lag 1989:253, allmänna helgdagar) and the eves that are not working days in
/// practice, computed per year.
///
/// Sundays are holidays by law too; ``WorkingCalendar`` treats every Saturday and Sunday as a day off, so they
/// are not listed here.
public enum SwedishHolidays {
    /// Easter Sunday of a Gregorian year: the Sunday after the first ecclesiastical full moon on or after
    /// 21 March (the anonymous Gregorian computus, Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)!
    }

    /// The legal holidays of a year other than ordinary Sundays, with their Swedish names.
    ///
    /// Two holidays may fall on one day (Ascension Day on 1 May in 2008); the names are then joined.
    public static func legalHolidays(in year: Int) -> [CalendarDate: String] {
        let easter = easterSunday(year)
        func fixed(_ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }
        let days: KeyValuePairs<CalendarDate, String> = [
            fixed(1, 1): "Nyårsdagen",
            fixed(1, 6): "Trettondedag jul",
            easter.adding(days: -2): "Långfredagen",
            easter: "Påskdagen",
            easter.adding(days: 1): "Annandag påsk",
            fixed(5, 1): "Första maj",
            easter.adding(days: 39): "Kristi himmelsfärds dag",
            easter.adding(days: 49): "Pingstdagen",
            fixed(6, 6): "Sveriges nationaldag",
            midsummerDay(year): "Midsommardagen",
            allSaintsDay(year): "Alla helgons dag",
            fixed(12, 25): "Juldagen",
            fixed(12, 26): "Annandag jul",
        ]
        return Dictionary(days.map { ($0.key, $0.value) }, uniquingKeysWith: { $0 + " och " + $1 })
    }

    /// The eves that are not legal holidays but not working days in practice: Midsummer Eve, Christmas Eve and
    /// New Year's Eve. (Easter Eve and Whitsun Eve are Saturdays.)
    public static func deFactoHolidays(in year: Int) -> [CalendarDate: String] {
        // Distinct days every year: Midsummer Eve is 19-25 June.
        [
            midsummerDay(year).adding(days: -1): "Midsommarafton",
            CalendarDate(year: year, month: 12, day: 24)!: "Julafton",
            CalendarDate(year: year, month: 12, day: 31)!: "Nyårsafton",
        ]
    }

    /// Midsummer Day: the Saturday from 20 to 26 June.
    public static func midsummerDay(_ year: Int) -> CalendarDate {
        saturday(onOrAfter: CalendarDate(year: year, month: 6, day: 20)!)
    }

    /// All Saints' Day: the Saturday from 31 October to 6 November.
    public static func allSaintsDay(_ year: Int) -> CalendarDate {
        saturday(onOrAfter: CalendarDate(year: year, month: 10, day: 31)!)
    }

    private static func saturday(onOrAfter date: CalendarDate) -> CalendarDate {
        date.adding(days: (6 - date.isoWeekday + 7) % 7)
    }
}
