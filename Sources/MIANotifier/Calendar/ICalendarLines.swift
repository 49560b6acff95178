import Foundation

/// The content lines of an iCalendar object (RFC 5545 §3.1): escaped values, lines folded at 75 octets, CRLF
/// line endings.
struct ICalendarLines {
    private(set) var lines: [String] = []

    /// Adds a property whose value is already in iCalendar form (a date-time, a number, a code).
    /// - Parameters:
    ///   - name: The property name, for example `DTSTART`.
    ///   - parameters: Property parameters without the leading `;`, for example `TZID=Europe/Stockholm`.
    ///   - value: The value, not escaped.
    mutating func add(_ name: String, _ parameters: String? = nil, raw value: String) {
        lines.append(name + (parameters.map { ";\($0)" } ?? "") + ":" + value)
    }

    /// Adds a TEXT property, escaping backslashes, semicolons, commas and line breaks (RFC 5545 §3.3.11).
    mutating func add(_ name: String, text value: String) {
        add(name, raw: Self.escape(value))
    }

    /// Adds a whole block of lines, for example a component that never changes.
    mutating func add(lines block: [String]) {
        lines.append(contentsOf: block)
    }

    /// The object: every line folded, each ending in CRLF.
    var text: String {
        lines.map { Self.fold($0) + "\r\n" }.joined()
    }

    /// A TEXT value with `\`, `;`, `,` and line breaks escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text.replacingOccurrences(of: "\r\n", with: "\n") {
            switch character {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\n", "\r": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A content line folded so that no line exceeds 75 octets: continuation lines start with one space, and a
    /// UTF-8 sequence is never split (RFC 5545 §3.1).
    static func fold(_ line: String) -> String {
        var folded = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                folded += "\r\n "
                octets = 1
            }
            folded.unicodeScalars.append(scalar)
            octets += size
        }
        return folded
    }
}
