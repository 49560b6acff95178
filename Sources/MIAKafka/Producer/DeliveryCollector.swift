import Synchronization

/// Collects the delivery reports of one batch and resumes the waiting task once all have arrived.
final class DeliveryCollector: Sendable {
    private struct State {
        var results: [Result<DeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count, continuation: nil))
    }

    /// Records the outcome of message `index`.
    func complete(_ index: Int, _ result: Result<DeliveryReport, KafkaError>) {
        let resume = state.withLock {
            state -> (
                CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>, [Result<DeliveryReport, KafkaError>]
            )? in
            guard state.results[index] == nil else { return nil }
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return (continuation, state.results.map { $0! })
        }
        if let (continuation, results) = resume { continuation.resume(returning: results) }
    }

    /// Waits until every message has a delivery report.
    func results() async -> [Result<DeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [Result<DeliveryReport, KafkaError>]? in
                if state.remaining == 0 { return state.results.map { $0! } }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// Records handed to a producer whose delivery reports are still to come (``KafkaProducer/submit(_:)``).
public struct PendingDeliveries: Sendable {
    let collector: DeliveryCollector

    /// Waits until every record has its delivery report.
    /// - Returns: One result per record, in the order submitted.
    public func results() async -> [Result<DeliveryReport, KafkaError>] {
        await collector.results()
    }
}

/// The per-message opaque handed to librdkafka: which collector and which slot.
final class DeliveryTicket: Sendable {
    let collector: DeliveryCollector
    let index: Int

    init(collector: DeliveryCollector, index: Int) {
        self.collector = collector
        self.index = index
    }
}
