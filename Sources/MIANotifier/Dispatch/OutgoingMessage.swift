import Foundation
import MIAContracts

/// One message the delivery service sends: a notification, or a digest of several, to one handläggare over one
/// direct channel, as claimed from the ``DeliveryLedger`` for an attempt.
struct OutgoingMessage: Sendable, Hashable {
    /// Where an input record is: the event a notification was made from.
    struct Source: Sendable, Hashable {
        var topic: String
        var partition: Int
        var offset: Int64
    }

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
    /// The input record each notification was made from, in the same order; `nil` for rows older than the record.
    var sources: [Source?]
    /// This attempt's number, from 1 (counting on across replays).
    var attempt: Int
    /// Since when the message is due: its horizon counts from here.
    var pendingSince: Date
    /// The last attempt's result, if there was one.
    var lastResult: String?
    /// How many times an operator replayed it after it was dead-lettered.
    var replays: Int
}
