import MIAKafka

/// Why a batch failed, which decides how the runtime retries it.
enum FailureKind: Sendable, Hashable {
    /// Something about the records: a handler's ``RetryLater``, or an error a retry of the same records may not
    /// mend. Retried up to `--max-attempts`, then each record that still fails is dead-lettered.
    case record
    /// The store or the broker is unreachable, busy or timing out: nothing is wrong with the records, so they
    /// are retried with backoff for as long as the outage lasts and never dead-lettered.
    case infrastructure

    init(of error: any Error) {
        switch error {
        case let error as StoreError where error.isTransient: self = .infrastructure
        case is KafkaError: self = .infrastructure
        default: self = .record
        }
    }
}
