import Synchronization

/// Liveness and readiness of a worker, updated by the runtime loop and read by `/healthz` and `/readyz`.
public final class HealthState: Sendable {
    private struct State {
        var started = false
        var stopping = false
        var assigned = 0
        var lastLoop: ContinuousClock.Instant?
        var lastError: String?
        /// The outage the runtime is waiting out (store or broker unreachable), if any.
        var outage: String?
        /// Partitions with records waiting and no progress for longer than the stall limit.
        var stalled: [String] = []
        /// Why the worker cannot go on (a fatal Kafka client error), if it cannot.
        var fatal: String?
    }

    private let state = Mutex(State())
    /// A loop that has not turned for this long counts as stalled.
    public let stallThreshold: Duration

    public init(stallThreshold: Duration = .seconds(60)) {
        self.stallThreshold = stallThreshold
    }

    func loopTurned() {
        state.withLock {
            $0.started = true; $0.lastLoop = .now
        }
    }
    func assignment(count: Int) { state.withLock { $0.assigned = count } }
    func stopping() { state.withLock { $0.stopping = true } }
    func error(_ message: String?) { state.withLock { $0.lastError = message } }
    func outage(_ reason: String?) { state.withLock { $0.outage = reason } }
    func stalled(_ partitions: [String]) { state.withLock { $0.stalled = partitions } }
    func fatal(_ reason: String) { state.withLock { $0.fatal = reason } }

    /// Alive: no fatal error, and the loop has not stalled (before the first turn, alive while starting).
    public var isAlive: Bool {
        state.withLock { state in
            guard state.fatal == nil else { return false }
            guard let last = state.lastLoop else { return true }
            return ContinuousClock.now - last < stallThreshold
        }
    }

    /// Ready: connected and looping, with partitions assigned, no outage being waited out, no partition stalled,
    /// and not shutting down.
    public var readiness: (ready: Bool, reason: String) {
        state.withLock { state in
            if let fatal = state.fatal { return (false, "fatal: \(fatal)") }
            if state.stopping { return (false, "shutting down") }
            guard state.started, let last = state.lastLoop else { return (false, "starting") }
            if ContinuousClock.now - last >= stallThreshold { return (false, "stalled") }
            if let outage = state.outage { return (false, "waiting out an outage: \(outage)") }
            if !state.stalled.isEmpty {
                return (false, "stalled partitions: \(state.stalled.joined(separator: " "))")
            }
            if state.assigned == 0 { return (false, "no partitions assigned") }
            return (true, "ready: \(state.assigned) partitions")
        }
    }
}
