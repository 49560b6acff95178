import Crypto
import Foundation

/// Turns personnummer into pseudonymous participant references with a keyed HMAC.
///
/// The reference is `p-` followed by the lowercase hex of the first 16 bytes of
/// HMAC-SHA256(key, normalised 12-digit number): 34 ASCII characters, safe in keys, URLs and file names.
/// Hex rather than base32 because it is what every tool prints and greps. The same key always gives the
/// same reference; without the key the reference cannot be reversed by trying all numbers.
///
/// - Important: The key is a secret of the publisher. Rotating it changes every reference.
public struct Pseudonymizer: Sendable, CustomStringConvertible, CustomReflectable {
    /// The environment variable holding the key (hex or raw text).
    public static let keyEnvironmentVariable = "MIA_PSEUDONYM_KEY"
    /// The environment variable holding the path of a key file, used when the key variable is unset.
    public static let keyFileEnvironmentVariable = "MIA_PSEUDONYM_KEY_FILE"
    /// The smallest accepted key length, in bytes.
    public static let minimumKeyBytes = 32

    /// The key bytes; a `SymmetricKey` is made per use because it is not `Sendable`.
    private let keyBytes: [UInt8]

    /// Creates a pseudonymizer from raw key bytes.
    /// - Throws: ``PseudonymizerError/Code/keyTooShort`` below ``minimumKeyBytes``.
    public init(key: some ContiguousBytes) throws(PseudonymizerError) {
        let bytes = key.withUnsafeBytes { Array($0) }
        guard bytes.count >= Self.minimumKeyBytes else { throw PseudonymizerError(.keyTooShort) }
        keyBytes = bytes
    }

    /// Creates a pseudonymizer from key text: hex digits (an even number, at least 64) are decoded;
    /// any other text is used as raw UTF-8 bytes. Surrounding white space is ignored.
    /// - Throws: ``PseudonymizerError/Code/keyTooShort`` when the key is under 32 bytes.
    public init(keyText: String) throws(PseudonymizerError) {
        let text = keyText.trimmingWhitespace()
        try self.init(key: Self.hexBytes(text) ?? Array(text.utf8))
    }

    /// Creates a pseudonymizer from the key in `MIA_PSEUDONYM_KEY`, or else from the file named by
    /// `MIA_PSEUDONYM_KEY_FILE`.
    /// - Parameter environment: The environment to read; the process environment by default.
    /// - Throws: ``PseudonymizerError`` when neither is set, the file cannot be read or the key is short.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PseudonymizerError) -> Pseudonymizer {
        if let text = environment[keyEnvironmentVariable], !text.isEmpty {
            return try Pseudonymizer(keyText: text)
        }
        if let path = environment[keyFileEnvironmentVariable], !path.isEmpty {
            return try Pseudonymizer(keyFile: path)
        }
        throw PseudonymizerError(.keyMissing)
    }

    /// Creates a pseudonymizer from a key file holding hex or raw key text.
    /// - Throws: ``PseudonymizerError/Code/keyFileUnreadable`` or ``PseudonymizerError/Code/keyTooShort``.
    public init(keyFile path: String) throws(PseudonymizerError) {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw PseudonymizerError(.keyFileUnreadable)
        }
        if let text = String(data: contents, encoding: .utf8) {
            try self.init(keyText: text)
        } else {
            try self.init(key: contents)
        }
    }

    /// The participant reference of a number.
    public func participantRef(for personnummer: Personnummer) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array(personnummer.twelveDigits.utf8), using: SymmetricKey(data: keyBytes))
        return "p-"
            + mac.prefix(16).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
    }

    /// Always `Pseudonymizer(key redacted)`.
    public var description: String { "Pseudonymizer(key redacted)" }
    /// A mirror without children, so that `dump` and test failures do not show the key.
    public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }

    /// Whether a text has the form of a participant reference: `p-` and 32 lowercase hex digits.
    public static func isParticipantRef(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return utf8.count == 34 && utf8.starts(with: Array("p-".utf8))
            && utf8.dropFirst(2).allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    /// The bytes of a hex text, or `nil` when it is not an even number (at least 64) of hex digits.
    private static func hexBytes(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2 * minimumKeyBytes, utf8.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let byte = UInt8(String(decoding: utf8[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}
