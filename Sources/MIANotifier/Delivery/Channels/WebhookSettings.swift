import Foundation

/// Where and how a webhook channel posts notifications (see ``NotificationChannel/webhook(_:)``).
///
/// - Important: The URL must be `https://`; plain `http://` is accepted only to a loopback host, for a local
///   relay or a test receiver. ``init(url:secret:maxAttempts:timeout:)`` refuses anything else.
public struct WebhookSettings: Sendable, Hashable, CustomStringConvertible {
    /// The endpoint that receives `POST` requests.
    public let url: URL
    /// The key of the `X-MIA-Signature` HMAC-SHA256 (see ``WebhookSignature``), shared with the receiver.
    public let secret: [UInt8]
    /// Attempts before a notification is dead-lettered; the first attempt counts.
    public var maxAttempts: Int
    /// How long one attempt may take, connection included.
    public var timeout: Duration

    /// The shortest accepted secret, in bytes.
    public static let minimumSecretLength = 16

    /// Creates the settings of a webhook.
    /// - Parameters:
    ///   - url: The endpoint: `https://`, or `http://` to a loopback host.
    ///   - secret: The signing key, at least ``minimumSecretLength`` bytes.
    ///   - maxAttempts: Attempts before dead-lettering, at least 1; 6 by default.
    ///   - timeout: The limit of one attempt; 10 seconds by default.
    /// - Throws: ``NotifierError`` `insecureChannel` for another scheme or a plain-text URL off this machine,
    ///   `secretMissing` for a short secret, `channelsInvalid` for a non-positive attempt count or timeout.
    public init(url: URL, secret: [UInt8], maxAttempts: Int = 6, timeout: Duration = .seconds(10)) throws(NotifierError)
    {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw NotifierError(.insecureChannel, "webhook URL \(url.absoluteString) has no scheme or host")
        }
        switch scheme {
        case "https": break
        case "http" where LoopbackHost.contains(host): break
        case "http":
            throw NotifierError(
                .insecureChannel, "webhook URL \(url.absoluteString): plain http:// is allowed only to a loopback host")
        default:
            throw NotifierError(.insecureChannel, "webhook URL \(url.absoluteString): the scheme must be https")
        }
        guard secret.count >= Self.minimumSecretLength else {
            throw NotifierError(
                .secretMissing, "the webhook secret for \(host) must be at least \(Self.minimumSecretLength) bytes")
        }
        guard maxAttempts >= 1 else { throw NotifierError(.channelsInvalid, "maxAttempts must be at least 1") }
        guard timeout > .zero else { throw NotifierError(.channelsInvalid, "the timeout must be positive") }
        self.url = url
        self.secret = secret
        self.maxAttempts = maxAttempts
        self.timeout = timeout
    }

    /// `webhook https://host/path`, without the secret.
    public var description: String { "webhook \(url.absoluteString)" }
}
