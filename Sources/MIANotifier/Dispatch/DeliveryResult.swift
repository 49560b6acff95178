/// What one delivery attempt achieved, and whether another attempt may succeed.
struct DeliveryResult: Sendable, Hashable, CustomStringConvertible {
    private enum Outcome: Sendable, Hashable {
        case delivered, retryable, permanent
    }

    private let outcome: Outcome
    /// What happened, for the ledger and the log: `http 200`, `http 503`, `timeout`, `smtp 451`. Never personal
    /// data.
    let detail: String
    /// The failure's class, a metric label from a small fixed set: `http_5xx`, `http_408`, `http_429`, `http_4xx`,
    /// `http_3xx`, `timeout`, `connection`, `smtp_4xx`, `smtp_5xx`, `no_address`, `unrouted`, `invalid`; empty
    /// when delivered.
    let reason: String

    private init(_ outcome: Outcome, _ detail: String, reason: String) {
        self.outcome = outcome
        self.detail = String(detail.prefix(500))
        self.reason = reason
    }

    /// The receiver accepted the message.
    static func delivered(_ detail: String) -> DeliveryResult { DeliveryResult(.delivered, detail, reason: "") }
    /// The attempt failed in a way that may pass: a 5xx, 408 or 429 status, a timeout, a lost connection.
    static func retryable(_ detail: String, reason: String) -> DeliveryResult {
        DeliveryResult(.retryable, detail, reason: reason)
    }
    /// The attempt failed in a way another attempt will not change: the message goes to the dead-letter topic.
    static func permanent(_ detail: String, reason: String) -> DeliveryResult {
        DeliveryResult(.permanent, detail, reason: reason)
    }

    /// The result of an HTTP status: 2xx delivered; 408, 429 and 5xx retryable; any other (a redirect, a 4xx)
    /// permanent.
    static func http(_ status: Int) -> DeliveryResult {
        switch status {
        case 200..<300: .delivered("http \(status)")
        case 408: .retryable("http 408", reason: "http_408")
        case 429: .retryable("http 429", reason: "http_429")
        case 500..<600: .retryable("http \(status)", reason: "http_5xx")
        case 300..<400: .permanent("http \(status)", reason: "http_3xx")
        default: .permanent("http \(status)", reason: "http_4xx")
        }
    }

    /// The attempt did not end within its time limit.
    static let timeout = DeliveryResult.retryable("timeout", reason: "timeout")

    /// The connection could not be made or was lost.
    static func connectionFailed(_ detail: String) -> DeliveryResult {
        .retryable("connection failed: \(detail)", reason: "connection")
    }

    /// Whether the receiver accepted the message.
    var isDelivered: Bool { outcome == .delivered }
    /// Whether another attempt may succeed.
    var isRetryable: Bool { outcome == .retryable }

    /// What the result says about the destination, for its ``CircuitBreaker``: a retryable failure counts against
    /// it; a delivery or any other answer shows that it answers; a message refused before anything was sent (no
    /// address, no longer routed) says nothing.
    var breakerOutcome: CircuitBreaker.Outcome {
        switch outcome {
        case .retryable: .failure
        case .delivered: .success
        case .permanent: ["no_address", "unrouted", "invalid"].contains(reason) ? .neutral : .success
        }
    }

    var description: String { detail }
}
