import Foundation
import MIAWorkerRuntime

/// Settings of a ``NotificationDeliveryService``.
public struct NotificationDeliveryConfiguration: Sendable {
    /// Whether non-urgent notifications are gathered into a daily digest; off by default.
    public var digest: DigestSchedule = .off
    /// The wait between attempts of one message: exponential with jitter, from 2 seconds up to 5 minutes by
    /// default. The number of attempts is the channel's (`maxAttempts`).
    public var backoff = Backoff(base: .seconds(2), cap: .seconds(300))
    /// How often the ledger is looked at when nothing was due; 500 ms by default.
    public var pollInterval: Duration = .milliseconds(500)
    /// The most messages attempted at once; 8 by default.
    public var concurrency = 8
    /// The clock that decides what is due and when digests go; the system clock by default. Tests move it.
    /// Webhook signatures and e-mail `Date:` headers always use the system clock, which receivers compare with.
    public var now: @Sendable () -> Date = { Date() }

    /// Creates the default configuration; change the properties as needed.
    public init() {}
}
