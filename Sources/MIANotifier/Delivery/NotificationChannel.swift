/// How a notification reaches a handläggare, chosen per agency (see ``NotificationRouting``); its ``name`` is
/// written to the notification's `channel` field.
///
/// Every notification is published on `mia.notification.v1`, whatever its channel: the topic is the record of
/// what was notified. With ``topic`` the agency's own integration consumes it from there; with ``webhook(_:)`` or
/// ``email(_:)`` the notifier also delivers it itself, once, through `NotificationDeliveryService`.
public struct NotificationChannel: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case topic
        case webhook(WebhookSettings)
        case email(EmailSettings)
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// Published on `mia.notification.v1` only; the agency's integration delivers it.
    public static let topic = NotificationChannel(.topic)

    /// Posted as signed JSON to the agency's HTTPS endpoint, retried with backoff until its horizon passes.
    public static func webhook(_ settings: WebhookSettings) -> NotificationChannel {
        NotificationChannel(.webhook(settings))
    }

    /// Sent as an e-mail, with the calendar invitation attached, through an SMTP relay on this machine.
    public static func email(_ settings: EmailSettings) -> NotificationChannel {
        NotificationChannel(.email(settings))
    }

    /// The name written to the notification's `channel` field: `topic`, `webhook` or `email`.
    public var name: String {
        switch base {
        case .topic: "topic"
        case .webhook: "webhook"
        case .email: "email"
        }
    }

    /// The webhook's settings, for a webhook channel.
    public var webhook: WebhookSettings? {
        if case .webhook(let settings) = base { settings } else { nil }
    }

    /// The e-mail settings, for an e-mail channel.
    public var email: EmailSettings? {
        if case .email(let settings) = base { settings } else { nil }
    }

    /// Whether the notifier delivers notifications of this channel itself, rather than leaving it to the topic's
    /// consumers.
    public var isDirect: Bool { base != .topic }

    /// How long a notification is retried before it is dead-lettered; zero for the topic.
    var horizon: Duration { webhook?.horizon ?? email?.horizon ?? .zero }

    /// The limit of one attempt; zero for the topic.
    var timeout: Duration { webhook?.timeout ?? email?.timeout ?? .zero }

    /// The most attempts in flight to the channel's destination at once; 1 for the topic.
    var concurrency: Int { webhook?.concurrency ?? email?.concurrency ?? 1 }

    /// What the channel delivers to: the webhook's URL or the SMTP relay. Agencies whose channels share it share
    /// one queue, one concurrency limit and one circuit breaker (see `DeliveryDestination`).
    var destination: String {
        switch base {
        case .topic: "topic"
        case .webhook(let settings): settings.description
        case .email(let settings): settings.description
        }
    }

    /// The channel and where it delivers, never its secret.
    public var description: String {
        switch base {
        case .topic: "topic"
        case .webhook(let settings): settings.description
        case .email(let settings): settings.description
        }
    }
}
