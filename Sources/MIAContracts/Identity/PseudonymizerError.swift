/// Why a ``Pseudonymizer`` could not be created. Never contains key material.
public struct PseudonymizerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the key.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let text: String

        private init(_ text: String) { self.text = text }

        /// Neither `MIA_PSEUDONYM_KEY` nor `MIA_PSEUDONYM_KEY_FILE` is set.
        public static let keyMissing = Code(
            "no pseudonym key: set MIA_PSEUDONYM_KEY (64+ hex digits or 32+ bytes of text) or MIA_PSEUDONYM_KEY_FILE")
        /// The key file does not exist or cannot be read.
        public static let keyFileUnreadable = Code("the pseudonym key file cannot be read")
        /// The key is shorter than 32 bytes.
        public static let keyTooShort = Code("the pseudonym key must be at least 32 bytes")

        public var description: String { text }
    }

    /// What is wrong.
    public var code: Code

    /// Creates an error.
    public init(_ code: Code) { self.code = code }

    public var description: String { code.description }
}
