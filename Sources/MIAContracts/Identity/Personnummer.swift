/// A validated Swedish personnummer or samordningsnummer, held only at the publishing boundary.
///
/// Parses `YYMMDD-NNNC`, `YYMMDD+NNNC`, `YYMMDDNNNC`, `YYYYMMDD-NNNC` and `YYYYMMDDNNNC`. The century of
/// a 10-digit number is the latest one that puts the birth date on or before the reference date; the
/// `+` separator (used from the year a person turns 100) moves it back by one more century. The check
/// digit is the Luhn digit over the 10-digit form. A samordningsnummer has 60 added to the day.
///
/// - Important: The digits never leave this type except through ``Pseudonymizer``: `description`,
///   `debugDescription` and every ``PersonnummerError`` are redacted.
public struct Personnummer: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable
{
    /// The normalised 12-digit form `YYYYMMDDNNNC` (with the day + 60 of a samordningsnummer).
    let twelveDigits: String
    /// The date of birth (the real day for a samordningsnummer).
    public let birthDate: CalendarDate
    /// Whether the number is a samordningsnummer (day + 60).
    public let isSamordningsnummer: Bool
    /// The legal gender: the third digit of the birth number is odd for men, even for women.
    public let legalGender: LegalGender

    /// The year of birth.
    public var birthYear: Int { birthDate.year }
    /// The month of birth, `1...12`.
    public var birthMonth: Int { birthDate.month }

    /// Parses and validates a number.
    /// - Parameters:
    ///   - text: The number, with or without separator; surrounding white space is ignored.
    ///   - referenceDate: The day the number is interpreted on; decides the century of 10-digit forms.
    /// - Throws: ``PersonnummerError`` saying what is wrong, without the digits.
    public init(_ text: String, referenceDate: CalendarDate) throws(PersonnummerError) {
        let trimmed = text.trimmingWhitespace()
        let isSeparator: (Character) -> Bool = { $0 == "-" || $0 == "+" }
        let separatorIndex = trimmed.firstIndex(where: isSeparator)
        let separator = separatorIndex.map { trimmed[$0] }
        let digits = trimmed.filter { !isSeparator($0) }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count == 10 || digits.count == 12 else {
            throw PersonnummerError(.invalidFormat)
        }
        if let separatorIndex {
            // Exactly one separator, right before the last four digits; `+` only in the 10-digit form.
            guard trimmed.count(where: isSeparator) == 1,
                trimmed.distance(from: separatorIndex, to: trimmed.endIndex) == 5,
                digits.count == 10 || separator == "-"
            else { throw PersonnummerError(.invalidFormat) }
        }
        let values = digits.compactMap(\.wholeNumberValue)
        func number(_ range: Range<Int>) -> Int { values[range].reduce(0) { $0 * 10 + $1 } }
        let tenDigits = Array(values.suffix(10))
        guard Self.luhnCheckDigit(Array(tenDigits.prefix(9))) == tenDigits[9] else {
            throw PersonnummerError(.invalidChecksum)
        }

        let offset = digits.count - 10
        let month = number(offset + 2..<offset + 4)
        let encodedDay = number(offset + 4..<offset + 6)
        isSamordningsnummer = encodedDay > 60
        let day = isSamordningsnummer ? encodedDay - 60 : encodedDay
        let yearOfCentury = number(offset..<offset + 2)

        let year: Int
        if digits.count == 12 {
            year = number(0..<4)
        } else {
            var candidate = (referenceDate.year / 100) * 100 + yearOfCentury
            if let date = CalendarDate(year: candidate, month: month, day: day), date > referenceDate {
                candidate -= 100
            } else if candidate > referenceDate.year {
                candidate -= 100
            }
            year = separator == "+" ? candidate - 100 : candidate
        }
        guard let birthDate = CalendarDate(year: year, month: month, day: day) else {
            throw PersonnummerError(.invalidDate)
        }
        guard birthDate <= referenceDate else { throw PersonnummerError(.birthDateInFuture) }
        self.birthDate = birthDate
        legalGender = tenDigits[8] % 2 == 1 ? .man : .kvinna
        twelveDigits = String(year) + String(digits.suffix(8))
    }

    /// The Luhn check digit of nine digits, weights 2, 1, 2, ... from the left.
    static func luhnCheckDigit(_ digits: [Int]) -> Int {
        let sum = digits.enumerated().reduce(0) { sum, element in
            let product = element.element * (element.offset.isMultiple(of: 2) ? 2 : 1)
            return sum + product / 10 + product % 10
        }
        return (10 - sum % 10) % 10
    }

    /// Always `Personnummer(redacted)`.
    public var description: String { "Personnummer(redacted)" }
    /// Always `Personnummer(redacted)`.
    public var debugDescription: String { description }
    /// A mirror without children, so that `dump` and debuggers do not show the digits.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }
}

extension String {
    /// The string without leading and trailing white space and newlines.
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
