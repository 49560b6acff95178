/// How a graceful shutdown spends `--shutdown-timeout`: each step may run until its share of the budget, counted
/// from the moment the worker was asked to stop, has passed; time a step does not use goes to the steps after it.
///
/// Together the steps end within the budget, so the process exits well inside a pod's termination grace period
/// even when the store, the broker or the group does not answer.
struct ShutdownBudget: Sendable {
    enum Step: Sendable, CaseIterable {
        /// Finishing the batch in flight.
        case loop
        /// Relaying the outbox.
        case relay
        /// Releasing the relay lease.
        case lease
        /// Committing the stored offsets.
        case commit
        /// Leaving the consumer group.
        case leave
        /// Flushing the producer.
        case flush

        /// The fraction of the budget by which the step must have ended.
        var endsAt: Double {
            switch self {
            case .loop: 0.25
            case .relay: 0.55
            case .lease: 0.6
            case .commit: 0.7
            case .leave: 0.8
            // The rest (a tenth) is the process's: closing the store and exiting.
            case .flush: 0.9
            }
        }
    }

    /// The whole budget.
    var total: Duration
    /// The least any step gets, so that a quick step is still tried when the ones before it used their time.
    var minimum: Duration = .milliseconds(100)

    /// How long after the stop request `step` must have ended.
    func share(of step: Step) -> Duration { total * step.endsAt }

    /// How long `step` may still take, given that the stop was requested at `started`.
    func remaining(
        for step: Step, since started: ContinuousClock.Instant, now: ContinuousClock.Instant = .now
    ) -> Duration {
        max(minimum, started + share(of: step) - now)
    }
}
