import Foundation

/// How an e-mail channel sends notifications (see ``NotificationChannel/email(_:)``): through an SMTP relay on
/// this machine, which forwards them with TLS.
///
/// The notifier speaks plain SMTP (no STARTTLS, no authentication), so the relay must be on a loopback address:
/// a local MTA such as Postfix, configured to relay to the agency's mail system.
///
/// The recipient's address comes from this configuration, never from an event: ``addresses`` maps the opaque
/// contact-channel reference of the anvisning to an address, and ``recipientTemplate`` builds one for
/// references not in the map.
public struct EmailSettings: Sendable, Hashable, CustomStringConvertible {
    /// The relay's host: `localhost`, `127.0.0.1` or `::1`.
    public let host: String
    /// The relay's port; 25 by default.
    public let port: Int
    /// The envelope sender and `From:` address.
    public let from: String
    /// Addresses by contact-channel reference.
    public let addresses: [String: String]
    /// How long a notification is retried, from when it is first due, before it is dead-lettered.
    public var horizon: Duration
    /// How long one attempt (the whole SMTP conversation) may take.
    public var timeout: Duration
    /// The most SMTP conversations with the relay at once.
    public var concurrency: Int
    private let template: RecipientTemplate?

    /// An address with `{contactChannel}` and `{handlaggareId}` placeholders, for references not in
    /// ``addresses``; none by default.
    public var recipientTemplate: String? { template?.text }

    /// Creates the settings of an e-mail channel.
    /// - Parameters:
    ///   - host: The relay's host, a loopback address.
    ///   - port: The relay's port.
    ///   - from: The sender address.
    ///   - addresses: Addresses by contact-channel reference.
    ///   - recipientTemplate: An address with `{contactChannel}` and `{handlaggareId}` placeholders; no others.
    ///   - horizon: How long a notification is retried before it is dead-lettered; 24 hours by default.
    ///   - timeout: The limit of one attempt; 30 seconds by default.
    ///   - concurrency: The most conversations with the relay at once; 2 by default.
    /// - Throws: ``NotifierError`` `insecureChannel` for a relay off this machine, `channelsInvalid` for an invalid
    ///   address, port, horizon, timeout or concurrency, an unknown placeholder, or when neither addresses nor a
    ///   template are given. The message names the member concerned.
    public init(
        host: String, port: Int = 25, from: String, addresses: [String: String] = [:], recipientTemplate: String? = nil,
        horizon: Duration = .seconds(24 * 3600), timeout: Duration = .seconds(30), concurrency: Int = 2
    ) throws(NotifierError) {
        guard LoopbackHost.contains(host) else {
            throw NotifierError(
                .insecureChannel,
                "host: \(host): the notifier sends plain SMTP, so the relay must be on a loopback address")
        }
        guard (1...65535).contains(port) else {
            throw NotifierError(.channelsInvalid, "port: \(port) is not a port")
        }
        guard EmailAddress.isValid(from) else {
            throw NotifierError(.channelsInvalid, "from: \(from) is not an address")
        }
        for (reference, address) in addresses.sorted(by: { $0.key < $1.key }) where !EmailAddress.isValid(address) {
            throw NotifierError(.channelsInvalid, "addresses.\(reference): \(address) is not an address")
        }
        guard !addresses.isEmpty || recipientTemplate != nil else {
            throw NotifierError(
                .channelsInvalid, "an e-mail channel needs addresses, a recipient template (to) or both")
        }
        guard horizon > .zero else { throw NotifierError(.channelsInvalid, "horizonHours must be positive") }
        guard timeout > .zero else { throw NotifierError(.channelsInvalid, "timeoutSeconds must be positive") }
        guard concurrency >= 1 else { throw NotifierError(.channelsInvalid, "concurrency must be at least 1") }
        template = try recipientTemplate.map { text throws(NotifierError) in try RecipientTemplate(text) }
        self.host = host
        self.port = port
        self.from = from
        self.addresses = addresses
        self.horizon = horizon
        self.timeout = timeout
        self.concurrency = concurrency
    }

    /// The address of a handläggare: from ``addresses`` by contact-channel reference, else from
    /// ``recipientTemplate``; `nil` when neither gives a valid address.
    public func address(contactChannel: String, handlaggareId: String) -> String? {
        let address =
            addresses[contactChannel]
            ?? template?.address(contactChannel: contactChannel, handlaggareId: handlaggareId)
        return address.flatMap { EmailAddress.isValid($0) ? $0 : nil }
    }

    /// `email smtp://host:port`.
    public var description: String { "email smtp://\(host):\(port)" }
}
