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
    public var port: Int
    /// The envelope sender and `From:` address.
    public var from: String
    /// Addresses by contact-channel reference.
    public var addresses: [String: String]
    /// An address with `{contactChannel}` and `{handlaggareId}` placeholders, for references not in
    /// ``addresses``; none by default.
    public var recipientTemplate: String?
    /// Attempts before a notification is dead-lettered; the first attempt counts.
    public var maxAttempts: Int
    /// How long one attempt (the whole SMTP conversation) may take.
    public var timeout: Duration

    /// Creates the settings of an e-mail channel.
    /// - Parameters:
    ///   - host: The relay's host, a loopback address.
    ///   - port: The relay's port.
    ///   - from: The sender address.
    ///   - addresses: Addresses by contact-channel reference.
    ///   - recipientTemplate: An address with `{contactChannel}` and `{handlaggareId}` placeholders.
    ///   - maxAttempts: Attempts before dead-lettering, at least 1; 5 by default.
    ///   - timeout: The limit of one attempt; 30 seconds by default.
    /// - Throws: ``NotifierError`` `insecureChannel` for a relay off this machine, `channelsInvalid` for an invalid
    ///   address, port, attempt count or timeout, or when neither addresses nor a template are given.
    public init(
        host: String, port: Int = 25, from: String, addresses: [String: String] = [:], recipientTemplate: String? = nil,
        maxAttempts: Int = 5, timeout: Duration = .seconds(30)
    ) throws(NotifierError) {
        guard LoopbackHost.contains(host) else {
            throw NotifierError(
                .insecureChannel,
                "SMTP host \(host): the notifier sends plain SMTP, so the relay must be on a loopback address")
        }
        guard (1...65535).contains(port) else {
            throw NotifierError(.channelsInvalid, "SMTP port \(port) is not a port")
        }
        guard EmailAddress.isValid(from) else {
            throw NotifierError(.channelsInvalid, "from: \(from) is not an address")
        }
        for (reference, address) in addresses where !EmailAddress.isValid(address) {
            throw NotifierError(.channelsInvalid, "addresses.\(reference): \(address) is not an address")
        }
        guard !addresses.isEmpty || recipientTemplate != nil else {
            throw NotifierError(.channelsInvalid, "an e-mail channel needs addresses, a recipient template or both")
        }
        guard maxAttempts >= 1 else { throw NotifierError(.channelsInvalid, "maxAttempts must be at least 1") }
        guard timeout > .zero else { throw NotifierError(.channelsInvalid, "the timeout must be positive") }
        self.host = host
        self.port = port
        self.from = from
        self.addresses = addresses
        self.recipientTemplate = recipientTemplate
        self.maxAttempts = maxAttempts
        self.timeout = timeout
    }

    /// The address of a handläggare: from ``addresses`` by contact-channel reference, else from
    /// ``recipientTemplate``; `nil` when neither gives a valid address.
    public func address(contactChannel: String, handlaggareId: String) -> String? {
        let address =
            addresses[contactChannel]
            ?? recipientTemplate.map { template in
                template.replacingOccurrences(of: "{contactChannel}", with: contactChannel)
                    .replacingOccurrences(of: "{handlaggareId}", with: handlaggareId)
            }
        return address.flatMap { EmailAddress.isValid($0) ? $0 : nil }
    }

    /// `email smtp://host:port`.
    public var description: String { "email smtp://\(host):\(port)" }
}
