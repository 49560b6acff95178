import Foundation
import MIAWorkerRuntime

/// Settings of a ``NotificationDeliveryService``. The horizon, the timeout and the concurrency of each destination
/// are its channel's (see ``WebhookSettings`` and ``EmailSettings``).
public struct NotificationDeliveryConfiguration: Sendable {
    /// Whether non-urgent notifications are gathered into a daily digest; off by default.
    public var digest: DigestSchedule = .off
    /// The wait after failed attempt *n*: `base · 2^(n-1)`, at most `cap`, then multiplied by a random factor from
    /// 0.5 to 1 (jitter), so that messages that failed together do not all come back together. By default 2 seconds
    /// doubling to a cap of 5 minutes: the waits are 1-2 s, 2-4 s, 4-8 s, … and from the 9th failure on 2.5-5
    /// minutes each. A wait never runs past the channel's horizon: the last attempt is made when it ends.
    public var backoff = Backoff(base: .seconds(2), cap: .seconds(300))
    /// When a destination's circuit breaker opens and for how long; see `CircuitBreaker`. By default 5 retryable
    /// failures in a row open it for 30 seconds, then one probe; each failed probe doubles the period, to at most
    /// 5 minutes.
    public var breakerFailures = 5
    /// The first open period of a destination's circuit breaker; 30 seconds by default.
    public var breakerOpenFor: Duration = .seconds(30)
    /// The longest open period of a destination's circuit breaker; 5 minutes by default.
    public var breakerMaxOpenFor: Duration = .seconds(300)
    /// How often the ledger is looked at when no attempt ended meanwhile; 500 ms by default.
    public var pollInterval: Duration = .milliseconds(500)
    /// How often the backlog gauges are read from the ledger; 5 seconds by default.
    public var gaugeInterval: Duration = .seconds(5)
    /// The clock that decides what is due, when horizons end, when breakers probe and when digests go; the system
    /// clock by default. Tests move it. Webhook signatures and e-mail `Date:` headers always use the system clock,
    /// which receivers compare with.
    public var now: @Sendable () -> Date = { Date() }

    /// Creates the default configuration; change the properties as needed.
    public init() {}

    var breakerPolicy: CircuitBreaker.Policy {
        CircuitBreaker.Policy(
            failureThreshold: max(1, breakerFailures), openFor: breakerOpenFor, maxOpenFor: breakerMaxOpenFor)
    }
}
