import Foundation

/// The circuit breaker of one delivery destination (a webhook endpoint or an SMTP relay): a value-type state
/// machine, kept by ``DeliveryLanes`` behind a lock and tested directly.
///
/// - **Closed:** attempts go out up to the destination's concurrency. Each retryable failure in a row (a 5xx, 408
///   or 429 answer, a timeout, a connection failure) counts; any answer that is not one resets the count. At
///   ``Policy/failureThreshold`` failures in a row the breaker opens.
/// - **Open:** nothing is attempted for the open period, ``Policy/openFor`` at first.
/// - **Probing:** after the open period one message is attempted. When it gets an answer the breaker closes (and
///   the destination's waiting messages are due at once); when it fails the breaker opens again for twice the
///   period, at most ``Policy/maxOpenFor``.
///
/// Messages do not lose their place while the breaker is open; they are dead-lettered only when their horizon
/// passes, as when it is closed.
struct CircuitBreaker: Sendable, Hashable {
    /// When a breaker opens and for how long.
    struct Policy: Sendable, Hashable {
        /// Retryable failures in a row that open the breaker; 5 by default.
        var failureThreshold = 5
        /// The first open period; 30 seconds by default.
        var openFor: Duration = .seconds(30)
        /// The longest open period; 5 minutes by default.
        var maxOpenFor: Duration = .seconds(300)
    }

    /// What an attempt's result says about the destination.
    enum Outcome: Sendable, Hashable {
        /// It answered (delivered, or refused the message for good).
        case success
        /// It failed in a way that may pass: it may be down.
        case failure
        /// The attempt said nothing about the destination (nothing was sent).
        case neutral
    }

    /// A change of state that the caller acts on.
    enum Transition: Sendable, Hashable {
        /// The breaker opened until the given time.
        case opened(until: Date)
        /// The breaker closed again after being open.
        case closed
    }

    /// How many attempts the breaker lets start now.
    enum Admission: Sendable, Hashable {
        /// As many as the concurrency allows.
        case all
        /// One probe.
        case probe
        /// None.
        case none
    }

    private enum State: Sendable, Hashable {
        case closed(failures: Int)
        case open(until: Date, period: Duration)
        case probing(period: Duration)
    }

    let policy: Policy
    private var state = State.closed(failures: 0)

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Whether the breaker is open or probing: the destination is taken to be down.
    var isOpen: Bool {
        if case .closed = state { false } else { true }
    }

    /// How many attempts may start at `now`.
    func admission(now: Date) -> Admission {
        switch state {
        case .closed: .all
        case .open(let until, _): now >= until ? .probe : .none
        case .probing: .none
        }
    }

    /// Records that the probe the breaker admitted has started.
    mutating func probeStarted() {
        guard case .open(_, let period) = state else { return }
        state = .probing(period: period)
    }

    /// Records that the admitted probe did not start (nothing was due): the next round may probe.
    mutating func probeNotStarted(now: Date) {
        guard case .probing(let period) = state else { return }
        state = .open(until: now, period: period)
    }

    /// Records an attempt's outcome at `now`.
    /// - Returns: The change of state, if any.
    mutating func record(_ outcome: Outcome, now: Date) -> Transition? {
        switch (state, outcome) {
        case (_, .neutral):
            return nil
        case (.closed, .success):
            state = .closed(failures: 0)
            return nil
        case (.closed(let failures), .failure):
            guard failures + 1 >= policy.failureThreshold else {
                state = .closed(failures: failures + 1)
                return nil
            }
            return open(for: policy.openFor, now: now)
        case (.open, .success), (.probing, .success):
            state = .closed(failures: 0)
            return .closed
        case (.open, .failure):
            // An attempt that started before the breaker opened: the breaker is open already.
            return nil
        case (.probing(let period), .failure):
            return open(for: min(period * 2, policy.maxOpenFor), now: now)
        }
    }

    private mutating func open(for period: Duration, now: Date) -> Transition {
        let until = now.addingTimeInterval(period.timeInterval)
        state = .open(until: until, period: period)
        return .opened(until: until)
    }
}
