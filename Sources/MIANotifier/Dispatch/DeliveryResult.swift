/// What one delivery attempt achieved, and whether another attempt may succeed.
struct DeliveryResult: Sendable, Hashable, CustomStringConvertible {
    private enum Outcome: Sendable, Hashable {
        case delivered, retryable, permanent
    }

    private let outcome: Outcome
    /// What happened, for the ledger and the log: `http 200`, `http 503`, `timeout`, `smtp 451`. Never personal
    /// data.
    let detail: String

    private init(_ outcome: Outcome, _ detail: String) {
        self.outcome = outcome
        self.detail = String(detail.prefix(500))
    }

    /// The receiver accepted the message.
    static func delivered(_ detail: String) -> DeliveryResult { DeliveryResult(.delivered, detail) }
    /// The attempt failed in a way that may pass: a 5xx, 408 or 429 status, a timeout, a lost connection.
    static func retryable(_ detail: String) -> DeliveryResult { DeliveryResult(.retryable, detail) }
    /// The attempt failed in a way another attempt will not change: the message goes to the dead-letter topic.
    static func permanent(_ detail: String) -> DeliveryResult { DeliveryResult(.permanent, detail) }

    /// Whether the receiver accepted the message.
    var isDelivered: Bool { outcome == .delivered }
    /// Whether another attempt may succeed.
    var isRetryable: Bool { outcome == .retryable }

    var description: String { detail }
}
