import Foundation
import Synchronization

/// The state of every ``DeliveryDestination`` of a delivery service: the attempts in flight and the circuit
/// breaker of each. A value type, kept behind a lock by ``NotificationDeliveryService`` and tested directly; it
/// decides how many messages each destination may start and learns how each attempt ended.
struct DeliveryLanes: Sendable {
    /// One destination's state.
    struct Lane: Sendable {
        let destination: DeliveryDestination
        var inFlight = 0
        var breaker: CircuitBreaker
    }

    /// How many messages one destination may start now.
    struct Quota: Sendable, Hashable {
        /// The destination's index in ``lanes``.
        var lane: Int
        /// The most messages to claim.
        var limit: Int
        /// Whether the one message is the breaker's probe.
        var isProbe: Bool
    }

    private(set) var lanes: [Lane]

    init(_ destinations: [DeliveryDestination], breaker policy: CircuitBreaker.Policy) {
        lanes = destinations.map { Lane(destination: $0, breaker: CircuitBreaker(policy: policy)) }
    }

    /// The quota of every destination that may start something at `now`; a probe's admission is recorded, so the
    /// caller must report with ``claimed(_:count:now:)`` how many it started.
    mutating func quotas(now: Date) -> [Quota] {
        var quotas: [Quota] = []
        for index in lanes.indices {
            let free = lanes[index].destination.concurrency - lanes[index].inFlight
            guard free > 0 else { continue }
            switch lanes[index].breaker.admission(now: now) {
            case .all:
                quotas.append(Quota(lane: index, limit: free, isProbe: false))
            case .probe:
                lanes[index].breaker.probeStarted()
                quotas.append(Quota(lane: index, limit: 1, isProbe: true))
            case .none:
                break
            }
        }
        return quotas
    }

    /// Records how many messages a quota started.
    mutating func claimed(_ quota: Quota, count: Int, now: Date) {
        lanes[quota.lane].inFlight += count
        if quota.isProbe && count == 0 { lanes[quota.lane].breaker.probeNotStarted(now: now) }
    }

    /// Records that an attempt at a destination ended, and how.
    /// - Returns: The breaker's change of state, if any.
    mutating func finished(lane: Int, _ outcome: CircuitBreaker.Outcome, now: Date) -> CircuitBreaker.Transition? {
        lanes[lane].inFlight -= 1
        return lanes[lane].breaker.record(outcome, now: now)
    }

    /// The destinations whose breaker is open or probing: their messages wait, and those past their horizon are
    /// dead-lettered without another attempt.
    var open: [Int] { lanes.indices.filter { lanes[$0].breaker.isOpen } }

    /// The messages in flight, over every destination.
    var inFlight: Int { lanes.reduce(0) { $0 + $1.inFlight } }

    /// The lanes behind a lock, shared by the delivery loop and its attempts.
    final class Shared: Sendable {
        private let state: Mutex<DeliveryLanes>

        init(_ lanes: DeliveryLanes) { state = Mutex(lanes) }

        /// Runs `body` with the lanes locked.
        func withLock<T: Sendable>(_ body: (inout DeliveryLanes) -> T) -> T {
            state.withLock { body(&$0) }
        }
    }
}
