import Foundation
import MIAContracts

/// One message the delivery service sends: a notification, or a digest of several, to one handläggare over one
/// direct channel, as claimed from the ``DeliveryLedger`` for an attempt.
struct OutgoingMessage: Sendable, Hashable {
    /// The ledger's id: the notification id, or the digest id. Receivers drop an id they have seen.
    var id: String
    /// The channel's name, `webhook` or `email`.
    var channel: String
    /// The handläggare's agency, which decides the channel's settings.
    var agency: Agency
    /// The recipient's opaque id.
    var handlaggareId: String
    /// The recipient's opaque contact-channel reference, which the e-mail settings map to an address.
    var contactChannel: String
    /// Whether this is a digest (even of one notification).
    var isDigest: Bool
    /// The notifications it carries, in the order they were written; one unless a digest.
    var notifications: [NotificationRequested]
    /// When the facts happened: each notification's time, in the same order.
    var times: [Date]
    /// This attempt's number, from 1.
    var attempt: Int
}
