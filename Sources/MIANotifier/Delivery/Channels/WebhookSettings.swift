import Foundation

/// Where and how a webhook channel posts notifications (see ``NotificationChannel/webhook(_:)``).
///
/// - Important: The URL must be `https://`; plain `http://` is accepted only to a loopback host, for a local
///   relay or a test receiver. ``init(url:secret:horizon:timeout:concurrency:)`` refuses anything else.
public struct WebhookSettings: Sendable, Hashable, CustomStringConvertible {
    /// The endpoint that receives `POST` requests.
    public let url: URL
    /// The key of the `X-MIA-Signature` HMAC-SHA256 (see ``WebhookSignature``), shared with the receiver.
    public let secret: [UInt8]
    /// How long a notification is retried, from when it is first due, before it is dead-lettered.
    public var horizon: Duration
    /// How long one attempt may take, connection included.
    public var timeout: Duration
    /// The most requests in flight to this endpoint at once.
    public var concurrency: Int

    /// The shortest accepted secret, in bytes.
    public static let minimumSecretLength = 16

    /// Creates the settings of a webhook.
    /// - Parameters:
    ///   - url: The endpoint: `https://`, or `http://` to a loopback host.
    ///   - secret: The signing key, at least ``minimumSecretLength`` bytes.
    ///   - horizon: How long a notification is retried before it is dead-lettered; 24 hours by default.
    ///   - timeout: The limit of one attempt; 10 seconds by default.
    ///   - concurrency: The most requests in flight to the endpoint at once; 4 by default.
    /// - Throws: ``NotifierError`` `insecureChannel` for another scheme or a plain-text URL off this machine,
    ///   `secretMissing` for a short secret, `channelsInvalid` for a non-positive horizon, timeout or concurrency.
    public init(
        url: URL, secret: [UInt8], horizon: Duration = .seconds(24 * 3600), timeout: Duration = .seconds(10),
        concurrency: Int = 4
    ) throws(NotifierError) {
        guard let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw NotifierError(.insecureChannel, "url: \(url.absoluteString) has no scheme or host")
        }
        switch scheme {
        case "https": break
        case "http" where LoopbackHost.contains(host): break
        case "http":
            throw NotifierError(
                .insecureChannel, "url: \(url.absoluteString): plain http:// is allowed only to a loopback host")
        default:
            throw NotifierError(.insecureChannel, "url: \(url.absoluteString): the scheme must be https")
        }
        guard secret.count >= Self.minimumSecretLength else {
            throw NotifierError(
                .secretMissing, "the webhook secret for \(host) must be at least \(Self.minimumSecretLength) bytes")
        }
        guard horizon > .zero else { throw NotifierError(.channelsInvalid, "horizonHours must be positive") }
        guard timeout > .zero else { throw NotifierError(.channelsInvalid, "timeoutSeconds must be positive") }
        guard concurrency >= 1 else { throw NotifierError(.channelsInvalid, "concurrency must be at least 1") }
        self.url = url
        self.secret = secret
        self.horizon = horizon
        self.timeout = timeout
        self.concurrency = concurrency
    }

    /// `webhook https://host/path`, without the secret.
    public var description: String { "webhook \(url.absoluteString)" }
}
