/// The `VTIMEZONE` component of Europe/Stockholm (RFC 5545 §3.6.5): CET, and CEST from the last Sunday of March
/// at 02:00 to the last Sunday of October at 03:00, the EU rule in force since 1996.
enum StockholmTimeZone {
    /// The `TZID` that `DTSTART` and `DTEND` refer to.
    static let id = "Europe/Stockholm"

    /// The component's content lines.
    static let component = [
        "BEGIN:VTIMEZONE",
        "TZID:\(id)",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
}
