/// A synthetic personnummer for tests: a birth date and birth number with a computed Luhn check digit.
///
/// Never a number taken from a register; tests make them up so that they pass the checksum.
struct TestPersonnummer: Hashable {
    let year: Int
    let month: Int
    let day: Int
    /// The three-digit birth number; its last digit is odd for men, even for women.
    let birthNumber: Int

    /// The ten digits `YYMMDDNNN` followed by the check digit.
    var tenDigits: String { nineDigits + String(Self.luhnCheckDigit(nineDigits)) }
    /// `YYYYMMDDNNNC`.
    var twelveDigits: String { String(year / 100) + tenDigits }
    /// `YYYYMMDD-NNNC`.
    var twelveWithSeparator: String { String(twelveDigits.prefix(8)) + "-" + String(twelveDigits.suffix(4)) }
    /// `YYMMDD-NNNC`.
    var tenWithSeparator: String { String(tenDigits.prefix(6)) + "-" + String(tenDigits.suffix(4)) }
    /// Every written form, for checking that none appears where it must not.
    var allForms: [String] { [twelveDigits, twelveWithSeparator, tenDigits, tenWithSeparator] }

    /// The same number with a wrong check digit, in the `YYYYMMDD-NNNC` form.
    var withWrongCheckDigit: String {
        let wrong = (Self.luhnCheckDigit(nineDigits) + 1) % 10
        return String(twelveWithSeparator.dropLast()) + String(wrong)
    }

    private var nineDigits: String {
        func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let number = String(birthNumber)
        return twoDigits(year % 100) + twoDigits(month) + twoDigits(day)
            + String(repeating: "0", count: 3 - number.count) + number
    }

    /// The Luhn digit over nine digits, weights 2, 1, 2, … from the left.
    private static func luhnCheckDigit(_ digits: String) -> Int {
        let sum = digits.compactMap(\.wholeNumberValue).enumerated().reduce(0) { sum, element in
            let product = element.element * (element.offset.isMultiple(of: 2) ? 2 : 1)
            return sum + product / 10 + product % 10
        }
        return (10 - sum % 10) % 10
    }
}
