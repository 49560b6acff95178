/// Why a personnummer was rejected. Never contains the number.
public struct PersonnummerError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What is wrong with the number.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let text: String

        private init(_ text: String) { self.text = text }

        /// Not 10 or 12 digits with at most one `-` or `+` before the last four.
        public static let invalidFormat = Code("invalid format: expected YYMMDD-NNNC or YYYYMMDD-NNNC")
        /// The check digit does not match.
        public static let invalidChecksum = Code("invalid checksum")
        /// The month or day (after removing a samordningsnummer's 60) does not exist.
        public static let invalidDate = Code("invalid date of birth")
        /// The date of birth is after the reference date.
        public static let birthDateInFuture = Code("date of birth after the reference date")

        public var description: String { text }
    }

    /// What is wrong.
    public var code: Code

    /// Creates an error.
    public init(_ code: Code) { self.code = code }

    /// For example `personnummer: invalid checksum`.
    public var description: String { "personnummer: \(code)" }
    /// The same as ``description``.
    public var debugDescription: String { description }
}
