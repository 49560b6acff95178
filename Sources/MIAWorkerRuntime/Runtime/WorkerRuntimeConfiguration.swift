import MIAKafka

/// Settings of a ``WorkerRuntime``.
public struct WorkerRuntimeConfiguration: Sendable {
    /// The Kafka connection.
    public var kafka: KafkaConfiguration
    /// The most records applied in one store transaction.
    public var batchSize = 500
    /// Attempts of a transiently failing batch before its records are dead-lettered.
    public var maxAttempts = 8
    /// Backoff between attempts.
    public var backoff = Backoff()
    /// The largest accepted message (larger ones are dead-lettered).
    public var maxMessageBytes = 64 * 1024
    /// Consumer group session timeout (lower on the development broker for faster rebalances).
    public var sessionTimeout: Duration = .seconds(10)
    /// The longest a fetch waits at the broker for data; low values lower latency on the development broker.
    public var fetchWaitMax: Duration = .milliseconds(100)
    /// How often consumer lag is read from librdkafka's statistics.
    public var statisticsInterval: Duration = .seconds(5)
    /// The longest a whole graceful shutdown may take: finishing the batch in flight, relaying the outbox,
    /// committing offsets, leaving the group and flushing the producer share it (see ``ShutdownBudget``).
    public var shutdownDeadline: Duration = .seconds(20)
    /// How long a partition may have records waiting without progress before `/readyz` reports it stalled.
    public var stallLimit: Duration = .seconds(120)
    /// How long the inbox remembers a handled input: a redelivery within it has no second effect. Well beyond the
    /// input topics' retention (4 years), so that nothing a topic still holds can be handled twice.
    public var inboxHorizon: Duration = .seconds(1830 * 86_400)
    /// How often the inbox is pruned of inputs older than ``inboxHorizon``, in steps of ``inboxPruneStep`` rows.
    public var inboxPruneInterval: Duration = .seconds(600)
    /// Inbox rows deleted per transaction: a step holds the store's write lock only briefly.
    public var inboxPruneStep = 1000

    public init(kafka: KafkaConfiguration) {
        self.kafka = kafka
    }
}
