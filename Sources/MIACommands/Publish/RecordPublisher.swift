import MIAKafka

/// Publishes batches of records as they come and checks every delivery report.
///
/// A batch is handed to the producer while the batches before it are still on their way (up to
/// ``maxPending`` of them), so the producer's queue stays full; librdkafka keeps the order of records per
/// partition, so records with the same key keep their order. Publishing stops after the first batch in which a
/// record was not delivered: when the cluster refuses records, the rest would most likely fail the same way.
final class RecordPublisher {
    /// The producer that sends the records.
    let producer: KafkaProducer
    /// Batches on their way at most.
    static let maxPending = 4

    /// What happened to the records.
    struct Outcome: Sendable {
        /// Delivered records per topic, counted from the delivery reports.
        var deliveredByTopic: [String: Int] = [:]
        /// Records the cluster did not acknowledge.
        var failed = 0
        /// Records not sent because an earlier batch failed.
        var unsent = 0
        /// The first delivery failure, if any.
        var firstFailure: KafkaError?

        /// The number of delivered records.
        var delivered: Int { deliveredByTopic.values.reduce(0, +) }
    }

    private(set) var outcome = Outcome()
    private var pending: [PendingDeliveries] = []
    private let progress: (Int) -> Void

    /// - Parameter progress: Told how many records have been delivered, as delivery reports come in.
    init(producer: KafkaProducer, progress: @escaping (Int) -> Void = { _ in }) {
        self.producer = producer
        self.progress = progress
    }

    /// Publishes a batch after the ones before it, once fewer than ``maxPending`` are on their way; after a
    /// failure, counts it as unsent instead.
    func publish(_ messages: [KafkaProducerMessage]) async {
        guard outcome.failed == 0 else {
            outcome.unsent += messages.count
            return
        }
        pending.append(await producer.submit(messages))
        while pending.count > Self.maxPending || (outcome.failed > 0 && !pending.isEmpty) {
            await settle(pending.removeFirst())
        }
    }

    /// Waits for every delivery report.
    func finish() async -> Outcome {
        while !pending.isEmpty { await settle(pending.removeFirst()) }
        return outcome
    }

    private func settle(_ deliveries: PendingDeliveries) async {
        for result in await deliveries.results() {
            switch result {
            case .success(let report):
                outcome.deliveredByTopic[report.topic, default: 0] += 1
            case .failure(let error):
                outcome.failed += 1
                if outcome.firstFailure == nil { outcome.firstFailure = error }
            }
        }
        progress(outcome.delivered)
    }
}
