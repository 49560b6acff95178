import Foundation

/// Reading and writing RFC 3339 timestamps, the format of every instant in MIAFlow messages.
///
/// Written in UTC with whole seconds (`2018-03-05T09:00:00Z`); read with any offset and with or
/// without fractional seconds.
enum RFC3339 {
    private static let plain = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)

    /// The timestamp in a text, or `nil` when it is not RFC 3339 with a time zone.
    static func date(from text: String) -> Date? {
        guard text.count >= 20 else { return nil }
        if let date = try? plain.parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// The UTC text of a timestamp, to whole seconds.
    static func string(from date: Date) -> String {
        plain.format(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)))
    }

    /// A `JSONDecoder` date strategy that reads RFC 3339 and reports bad values without quoting them.
    static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = date(from: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "\(ContractViolation.contractMessagePrefix)expected an RFC 3339 timestamp with time zone")
        }
        return date
    }

    /// A `JSONEncoder` date strategy that writes RFC 3339 in UTC.
    static let encodingStrategy = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(string(from: date))
    }
}
