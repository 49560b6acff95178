import Foundation
import Testing

/// Parses iCalendar objects with Python's `icalendar` package, an independent RFC 5545 implementation.
enum ICalendarCheck {
    /// What the parser read from one object's first VEVENT.
    struct Parsed: Decodable, Equatable {
        var method: String
        var uid: String
        var sequence: Int
        var status: String
        var dtstart: String?
        var tzid: String?
        var dtstartUTC: String?
        var summary: String
        var location: String?
        var timezones: [String]
        var organizer: String?
        var attendees: [String]
    }

    private static let script = #"""
        import json, sys
        from icalendar import Calendar
        out = []
        for text in json.load(sys.stdin):
            cal = Calendar.from_ical(text)
            event = cal.walk("VEVENT")[0]
            start = event.get("DTSTART")
            out.append({
                "method": str(cal.get("METHOD")),
                "uid": str(event.get("UID")),
                "sequence": int(event.get("SEQUENCE")),
                "status": str(event.get("STATUS")),
                "dtstart": start.dt.strftime("%Y-%m-%d %H:%M") if start else None,
                "tzid": start.params.get("TZID") if start else None,
                "dtstartUTC": start.dt.astimezone(__import__("datetime").timezone.utc).strftime("%Y-%m-%d %H:%M") if start else None,
                "summary": str(event.get("SUMMARY")),
                "location": str(event.get("LOCATION")) if event.get("LOCATION") else None,
                "timezones": [str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")],
                "organizer": str(event.get("ORGANIZER")) if event.get("ORGANIZER") else None,
                "attendees": [str(a) for a in (lambda v: v if isinstance(v, list) else ([v] if v else []))(event.get("ATTENDEE"))],
            })
        json.dump(out, sys.stdout)
        """#

    /// Whether `python3` can import `icalendar`.
    static var isAvailable: Bool {
        (try? run(["-c", "import icalendar"], input: Data()).status) == 0
    }

    /// Parses each object; records an issue and returns `nil` when the parser is missing or fails.
    static func parse(_ objects: [String]) throws -> [Parsed]? {
        guard isAvailable else {
            Issue.record(
                "python3 with the icalendar package is missing (python3 -m pip install icalendar, or apt-get install python3-icalendar)"
            )
            return nil
        }
        let result = try run(["-c", script], input: try JSONEncoder().encode(objects))
        guard result.status == 0 else {
            Issue.record("icalendar rejected the objects: \(String(decoding: result.error, as: UTF8.self))")
            return nil
        }
        return try JSONDecoder().decode([Parsed].self, from: result.output)
    }

    private static func run(_ arguments: [String], input: Data) throws -> (status: Int32, output: Data, error: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, output, error)
    }
}
