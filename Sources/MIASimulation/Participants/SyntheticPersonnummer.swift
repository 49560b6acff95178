/// Makes synthetic personnummer and samordningsnummer in the 12-digit form `YYYYMMDD-NNNC` with a valid
/// Luhn check digit. The numbers are generated, not taken from any register.
enum SyntheticPersonnummer {
    /// The number of a birth date and birth number.
    /// - Parameters:
    ///   - birthDate: The date of birth.
    ///   - birthNumber: `NNN`, `0...999`; its last digit is odd for men and even for women.
    ///   - samordningsnummer: Whether to add 60 to the day, as in a samordningsnummer.
    static func make(birthDate: SimulationDay, birthNumber: Int, samordningsnummer: Bool) -> String {
        let (year, month, day) = birthDate.components
        let digits =
            [year / 10 % 10, year % 10, month / 10, month % 10]
            + [(day + (samordningsnummer ? 60 : 0)) / 10, day % 10]
            + [birthNumber / 100, birthNumber / 10 % 10, birthNumber % 10]
        let check = luhnCheckDigit(digits)
        let datePart = String(year / 100) + digits[0..<6].map(String.init).joined()
        return datePart + "-" + digits[6..<9].map(String.init).joined() + String(check)
    }

    /// The Luhn check digit of nine digits, weights 2, 1, 2, ... from the left.
    static func luhnCheckDigit(_ digits: [Int]) -> Int {
        var sum = 0
        for (index, digit) in digits.enumerated() {
            let product = digit * (index.isMultiple(of: 2) ? 2 : 1)
            sum += product / 10 + product % 10
        }
        return (10 - sum % 10) % 10
    }
}
