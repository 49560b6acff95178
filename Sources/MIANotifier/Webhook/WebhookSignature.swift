import Crypto
import Foundation

/// The signature of webhook requests: `X-MIA-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`, with
/// the Unix time of the attempt in `X-MIA-Timestamp`.
///
/// Receivers call ``verify(body:timestamp:signature:secret:now:tolerance:)`` before trusting a request: a forged
/// body fails the HMAC, and a captured request replayed later fails the timestamp check. Within the tolerance a
/// replay is still possible, so receivers also drop a notification id (`X-MIA-Notification-Id`) they have seen;
/// the notifier itself sends that same id again only when it cannot know that an attempt arrived.
public enum WebhookSignature {
    /// The header with the Unix time, in seconds, of the attempt.
    public static let timestampHeader = "X-MIA-Timestamp"
    /// The header with the signature, `v1=<hex>`. Several comma-separated signatures are accepted, so that a
    /// receiver can verify against a secret being rotated in.
    public static let signatureHeader = "X-MIA-Signature"
    /// The header with the id of the notification (or digest) the request delivers; also in the body.
    public static let notificationIdHeader = "X-MIA-Notification-Id"
    /// The default oldest accepted timestamp, relative to now; timestamps in the future get the same slack.
    public static let defaultTolerance: Duration = .seconds(300)

    /// The `X-MIA-Signature` value of a request.
    /// - Parameters:
    ///   - body: The exact bytes of the request body.
    ///   - timestamp: The `X-MIA-Timestamp` value, Unix seconds.
    ///   - secret: The key shared with the receiver.
    public static func sign(body: some DataProtocol, timestamp: Int64, secret: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: signed(body: body, timestamp: timestamp), using: SymmetricKey(data: secret))
        return "v1=" + code.map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// Checks a request's signature and timestamp.
    /// - Parameters:
    ///   - body: The exact bytes of the request body.
    ///   - timestamp: The `X-MIA-Timestamp` header, if present.
    ///   - signature: The `X-MIA-Signature` header, if present.
    ///   - secret: The key shared with the sender.
    ///   - now: The receiver's clock.
    ///   - tolerance: How far the timestamp may be from `now`; five minutes by default.
    /// - Throws: ``WebhookVerificationError``: `missingHeader`, `malformed`, `expired` (a replay or a badly wrong
    ///   clock), or `mismatch` (a forgery, or another secret). The HMAC is compared in constant time.
    public static func verify(
        body: some DataProtocol, timestamp: String?, signature: String?, secret: [UInt8], now: Date = Date(),
        tolerance: Duration = defaultTolerance
    ) throws(WebhookVerificationError) {
        guard let timestamp, let signature else {
            throw WebhookVerificationError(.missingHeader, "\(timestampHeader) and \(signatureHeader) are required")
        }
        guard let seconds = Int64(timestamp.trimmingCharacters(in: .whitespaces)) else {
            throw WebhookVerificationError(.malformed, "\(timestampHeader) is not Unix seconds")
        }
        let age = now.timeIntervalSince1970 - Double(seconds)
        guard abs(age) <= Double(tolerance.components.seconds) else {
            throw WebhookVerificationError(.expired, "the timestamp is \(Int(age)) s from now, beyond the tolerance")
        }
        let codes = signature.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("v1=") }.compactMap { hexBytes($0.dropFirst(3)) }
        guard !codes.isEmpty else {
            throw WebhookVerificationError(.malformed, "\(signatureHeader) has no v1=<hex> signature")
        }
        let message = signed(body: body, timestamp: seconds)
        let key = SymmetricKey(data: secret)
        guard codes.contains(where: { HMAC<SHA256>.isValidAuthenticationCode($0, authenticating: message, using: key) })
        else { throw WebhookVerificationError(.mismatch, "the signature does not match the body and timestamp") }
    }

    /// `<timestamp>.<body>`, the bytes the HMAC covers.
    private static func signed(body: some DataProtocol, timestamp: Int64) -> [UInt8] {
        Array("\(timestamp).".utf8) + Array(body)
    }

    private static func hexBytes(_ hex: Substring) -> [UInt8]? {
        guard hex.count == 64 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
