/// A deliberately strict check of e-mail addresses taken from configuration: `local@domain`, printable ASCII,
/// no spaces, angle brackets or line breaks, so that an address can never inject SMTP commands or headers.
enum EmailAddress {
    /// Whether `address` is one `local@domain` address safe to put in `MAIL FROM`, `RCPT TO` and headers.
    static func isValid(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.count <= 254 else { return false }
        return address.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7f && !"<>()[]\\,;:\"".unicodeScalars.contains(scalar)
        }
    }
}
