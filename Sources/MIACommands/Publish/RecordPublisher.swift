import MIAKafka

/// Publishes Kafka records in batches and checks every delivery report.
///
/// Each batch is handed to ``KafkaProducer/send(_:)`` and awaited in full before the next, so the order of
/// records is kept and at most one batch is in flight. Publishing stops after the first batch in which a
/// record was not delivered: when the cluster refuses records, the rest would most likely fail the same way.
struct RecordPublisher {
    /// The producer that sends the records.
    let producer: KafkaProducer
    /// How many records are sent at a time.
    var batchSize = 5_000

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

    /// Publishes records in order.
    /// - Parameters:
    ///   - messages: The records.
    ///   - progress: Told how many records have been delivered after each batch.
    func publish(_ messages: [KafkaProducerMessage], progress: (Int) -> Void) async -> Outcome {
        var outcome = Outcome()
        var start = 0
        while start < messages.count {
            let end = min(start + batchSize, messages.count)
            for result in await producer.send(Array(messages[start..<end])) {
                switch result {
                case .success(let report):
                    outcome.deliveredByTopic[report.topic, default: 0] += 1
                case .failure(let error):
                    outcome.failed += 1
                    if outcome.firstFailure == nil { outcome.firstFailure = error }
                }
            }
            progress(outcome.delivered)
            start = end
            if outcome.failed > 0 { break }
        }
        outcome.unsent = messages.count - start
        return outcome
    }
}
