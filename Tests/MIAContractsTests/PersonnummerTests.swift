import MIAContracts
import Testing

@Suite("Personnummer")
struct PersonnummerTests {
    static let referenceDate = CalendarDate(year: 2018, month: 3, day: 5)!

    /// A synthetic number: the given `YYMMDDNNN` digits with a separator and their Luhn check digit.
    static func synthetic(_ nineDigits: String, century: String = "", separator: String = "-") -> String {
        let digits = nineDigits.compactMap(\.wholeNumberValue)
        var sum = 0
        for (index, digit) in digits.enumerated() {
            let product = digit * (index % 2 == 0 ? 2 : 1)
            sum += product > 9 ? product - 9 : product
        }
        let check = (10 - sum % 10) % 10
        return century + nineDigits.prefix(6) + separator + nineDigits.suffix(3) + String(check)
    }

    func parse(_ text: String, on date: CalendarDate = referenceDate) throws(PersonnummerError) -> Personnummer {
        try Personnummer(text, referenceDate: date)
    }

    @Test("the generator reproduces Skatteverket's test number 19121212-1212")
    func generator() {
        #expect(Self.synthetic("121212121", century: "19") == "19121212-1212")
    }

    @Test("valid 12-digit number: birth date and legal gender")
    func twelveDigits() throws {
        let number = try parse("19121212-1212")
        #expect(number.birthDate == CalendarDate(year: 1912, month: 12, day: 12))
        #expect(number.birthYear == 1912)
        #expect(number.birthMonth == 12)
        #expect(number.legalGender == .man)
        #expect(!number.isSamordningsnummer)
        #expect(try parse("191212121212") == number, "without separator")
    }

    @Test("the third digit of the birth number decides the legal gender")
    func legalGender() throws {
        #expect(try parse(Self.synthetic("850101004")).legalGender == .kvinna)
        #expect(try parse(Self.synthetic("850101013")).legalGender == .man)
        #expect(try parse(Self.synthetic("850101020")).legalGender == .kvinna)
    }

    @Test("the century of a 10-digit number follows from the reference date")
    func centuryInference() throws {
        #expect(try parse(Self.synthetic("850101004")).birthYear == 1985)
        #expect(try parse(Self.synthetic("170101004")).birthYear == 2017)
        #expect(try parse(Self.synthetic("180305004")).birthYear == 2018, "born on the reference date")
        #expect(try parse(Self.synthetic("180306004")).birthYear == 1918, "a day later would be in the future")
        #expect(try parse(Self.synthetic("121212121")).birthYear == 2012)
        #expect(try parse(Self.synthetic("121212121", separator: "")).birthYear == 2012, "without separator")
        let later = CalendarDate(year: 2031, month: 1, day: 1)!
        #expect(try parse(Self.synthetic("300101004"), on: later).birthYear == 2030)
    }

    @Test("+ marks a person who is 100 or older")
    func plusSeparator() throws {
        let number = try parse(Self.synthetic("121212121", separator: "+"))
        #expect(number.birthYear == 1912)
        #expect(try parse(Self.synthetic("180306004", separator: "+")).birthYear == 1818)
        let twelveDigitForm = try parse("19121212-1212")
        #expect(number == twelveDigitForm, "same number as the 12-digit form")
    }

    @Test("a wrong check digit is rejected")
    func invalidChecksum() {
        for text in ["19121212-1213", "121212-1210", "8501010049"] {
            let error = #expect(throws: PersonnummerError.self) { try parse(text) }
            #expect(error?.code == .invalidChecksum, "\(text)")
        }
    }

    @Test("a samordningsnummer has day + 60")
    func samordningsnummer() throws {
        let number = try parse("701063-2391")
        #expect(number.isSamordningsnummer)
        #expect(number.birthDate == CalendarDate(year: 1970, month: 10, day: 3))
        #expect(number.legalGender == .man)
        let personnummer = try parse(Self.synthetic("701003239"))
        #expect(number != personnummer, "differs from the personnummer of the same day")
    }

    @Test(
        "bad formats and impossible dates are rejected",
        arguments: [
            ("12345", PersonnummerError.Code.invalidFormat),
            ("19121212+1212", .invalidFormat),
            ("121212--1212", .invalidFormat),
            ("1212-121212", .invalidFormat),
            ("12121a-1212", .invalidFormat),
            ("", .invalidFormat),
        ])
    func invalidFormat(_ text: String, _ code: PersonnummerError.Code) {
        let error = #expect(throws: PersonnummerError.self) { try parse(text) }
        #expect(error?.code == code)
    }

    @Test("dates that do not exist or lie in the future are rejected")
    func invalidDates() {
        for (digits, code) in [
            ("851301004", PersonnummerError.Code.invalidDate), ("850230004", .invalidDate), ("850192004", .invalidDate),
        ] {
            let error = #expect(throws: PersonnummerError.self) { try parse(Self.synthetic(digits)) }
            #expect(error?.code == code, "\(digits)")
        }
        let error = #expect(throws: PersonnummerError.self) { try parse(Self.synthetic("190101004", century: "20")) }
        #expect(error?.code == .birthDateInFuture)
    }

    @Test("neither the number nor its errors reveal digits")
    func redaction() throws {
        let number = try parse("19121212-1212")
        #expect("\(number)" == "Personnummer(redacted)")
        #expect(String(reflecting: number) == "Personnummer(redacted)")
        var dumped = ""
        dump(number, to: &dumped)
        #expect(!dumped.contains("1212"))

        for text in ["19121212-1213", "12345", Self.synthetic("851301004"), Self.synthetic("190101004", century: "20")]
        {
            let thrown = #expect(throws: PersonnummerError.self) { try parse(text) }
            let error = try #require(thrown)
            for description in ["\(error)", String(reflecting: error), "\(error.code)"] {
                #expect(!description.contains { $0.isNumber }, "\(description)")
            }
        }
    }
}
