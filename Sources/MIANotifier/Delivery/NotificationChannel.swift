/// How a notification reaches a handläggare, written to the notification's `channel` field.
///
/// Today every notification is published on `mia.notification.v1` (``topic``), for an agency's own integration
/// to consume. Direct channels (webhook, SMTP, a daily digest) are added as further static members, so that
/// choosing one stays a configuration change (see ``NotificationRouting``).
public struct NotificationChannel: Sendable, Hashable, CustomStringConvertible {
    private enum Base: String, Sendable, Hashable {
        case topic
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// Published on `mia.notification.v1` only; the agency's integration delivers it.
    public static let topic = NotificationChannel(.topic)

    /// The name written to the notification's `channel` field.
    public var name: String { base.rawValue }

    public var description: String { name }
}
