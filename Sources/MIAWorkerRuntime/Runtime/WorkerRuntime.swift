import Foundation
import Logging
import MIAContracts
import MIAKafka
import ServiceLifecycle
import Synchronization

/// Runs a ``WorkerHandler``: consumes its topics in its consumer group, applies batches with exactly-once
/// effects, relays the outbox, dead-letters bad input, retries transient failures, and shuts down gracefully.
///
/// Per batch: poll → decode and validate → one store transaction (inbox check, handler, inbox entry, outbox
/// rows, dead letters) → store and commit offsets → relay the outbox. A transient failure pauses the batch's
/// partitions and retries them with backoff; the records stay in memory in offset order.
public struct WorkerRuntime<Handler: WorkerHandler>: Service {
    public let handler: Handler
    public let configuration: WorkerRuntimeConfiguration
    public let store: any WorkerStore
    public let metrics: WorkerMetrics
    public let health: HealthState
    private let logger: Logger

    public init(
        handler: Handler, configuration: WorkerRuntimeConfiguration, store: any WorkerStore,
        metrics: WorkerMetrics? = nil, health: HealthState = HealthState(), logger: Logger
    ) {
        self.handler = handler
        self.configuration = configuration
        self.store = store
        self.metrics = metrics ?? WorkerMetrics(worker: handler.name)
        self.health = health
        self.logger = logger
    }

    public func run() async throws {
        try await store.migrate(RuntimeTables.migrations + handler.migrations)
        var producerConfiguration = KafkaProducerConfiguration(kafka: configuration.kafka)
        producerConfiguration.kafka.clientId = "mia-\(handler.name)"
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var consumerConfiguration = KafkaConsumerConfiguration(
            kafka: configuration.kafka, groupId: handler.name, topics: handler.inputTopics)
        consumerConfiguration.kafka.clientId = "mia-\(handler.name)"
        consumerConfiguration.sessionTimeout = configuration.sessionTimeout
        consumerConfiguration.fetchWaitMax = configuration.fetchWaitMax
        consumerConfiguration.statisticsInterval = configuration.statisticsInterval
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        let lease = StoreLease(name: "outbox", owner: "\(handler.name)-\(UUID().uuidString.lowercased())")
        let relay = OutboxRelay(store: store, producer: producer, lease: lease, logger: logger)

        let rebalanced = RebalanceCounter()
        let events = Task { [metrics, health] in
            for await event in consumer.events {
                switch event {
                case .assigned(let partitions):
                    metrics.rebalanced()
                    rebalanced.increment()
                    health.assignment(count: (try? consumer.assignment().count) ?? partitions.count)
                case .revoked:
                    rebalanced.increment()
                    health.assignment(count: 0)
                case .statistics(let json):
                    for lag in ConsumerStatistics(json: json).lags {
                        metrics.lag(topic: lag.topic, partition: lag.partition, value: lag.lag)
                    }
                }
            }
        }

        logger.info(
            "worker starting",
            metadata: ["worker": "\(handler.name)", "topics": "\(handler.inputTopics.joined(separator: ","))"])
        // Outputs of a previous run that crashed before relaying them.
        await relayOutbox(relay)

        // On graceful shutdown the loop finishes the batch in flight and stops; cancelling it instead could
        // interrupt a store write or a relay halfway.
        let stop = StopFlag()
        var loop = Loop(runtime: self, consumer: consumer, producer: producer, relay: relay, rebalanced: rebalanced)
        try await withGracefulShutdownHandler {
            try await loop.run(until: stop)
        } onGracefulShutdown: {
            stop.set()
        }
        health.stopping()
        logger.info("worker stopping: relaying the outbox and committing offsets")
        // Each step is bounded, so that the process exits even when the broker or the group hangs; what is left
        // undone is safe: offsets were committed per batch, and unsent outbox rows are relayed after a restart.
        await withDeadline("relaying the outbox", configuration.shutdownDeadline) { await relayOutbox(relay) }
        await withDeadline("releasing the relay lease", .seconds(5)) {
            _ = try? await store.write { transaction in try transaction.release(lease) }
        }
        await withDeadline("the final commit", .seconds(5)) { [logger] in
            do {
                try await consumer.commit()
            } catch {
                logger.warning("final commit failed", metadata: ["error": "\(error)"])
            }
        }
        await withDeadline("leaving the consumer group", .seconds(10)) { await consumer.close() }
        await withDeadline("flushing the producer", .seconds(6)) { await producer.close(timeout: .seconds(5)) }
        events.cancel()
        logger.info("worker stopped", metadata: ["worker": "\(handler.name)"])
    }

    @discardableResult
    fileprivate func relayOutbox(_ relay: OutboxRelay) async -> OutboxRelay.Result? {
        do {
            let result = try await relay.relay()
            metrics.outbox(pending: result.pending)
            return result
        } catch {
            logger.warning("outbox relay failed; will retry", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Runs `body` for at most `deadline`; past it, leaves `body` running unawaited and goes on.
    ///
    /// Unlike a task group, this does not wait for a `body` that ignores cancellation (a delivery report, a
    /// blocking librdkafka call).
    private func withDeadline(
        _ step: String, _ deadline: Duration, _ body: @escaping @Sendable () async -> Void
    ) async {
        let (done, finished) = AsyncStream<Bool>.makeStream()
        let work = Task {
            await body()
            finished.yield(true)
        }
        let timer = Task {
            try? await Task.sleep(for: deadline)
            finished.yield(false)
        }
        var completed = false
        for await result in done {
            completed = result
            break
        }
        timer.cancel()
        if !completed {
            work.cancel()
            logger.warning("shutdown step timed out; going on", metadata: ["step": "\(step)", "after": "\(deadline)"])
        }
    }
}

/// Set once, when the worker is asked to stop.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// Counts rebalances, so that the loop notices one and drops records of partitions it lost.
final class RebalanceCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

extension WorkerRuntime {
    /// The consume-apply-relay loop and its mutable state.
    fileprivate struct Loop {
        let runtime: WorkerRuntime
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        let relay: OutboxRelay
        let rebalanced: RebalanceCounter
        var backlog = PartitionBacklog()
        var seenRebalances = 0

        private var handler: Handler { runtime.handler }
        private var configuration: WorkerRuntimeConfiguration { runtime.configuration }
        private var metrics: WorkerMetrics { runtime.metrics }
        private var logger: Logger { runtime.logger }

        mutating func run(until stop: StopFlag) async throws {
            let processor = RecordProcessor(
                handler: handler,
                decoder: EventDecoder(configuration: .init(maxMessageBytes: configuration.maxMessageBytes)))
            while !stop.isSet && !Task.isCancelled {
                runtime.health.loopTurned()
                let now = ContinuousClock.now
                // Wait at the broker only when nothing is ready to apply here.
                let waiting = backlog.ready(at: now, limit: 1).isEmpty
                var timeout: Duration = waiting ? .milliseconds(100) : .zero
                if waiting, let retry = backlog.nextRetry { timeout = max(.zero, min(timeout, retry - now)) }
                let room = max(configuration.batchSize * 4 - backlog.count, 0)
                let polled =
                    room > 0
                    ? try await consumer.poll(maxMessages: min(room, configuration.batchSize), timeout: timeout) : []
                for (topic, records) in Dictionary(grouping: polled, by: \.topic) {
                    metrics.consumed(topic: topic, count: records.count)
                }
                backlog.append(polled)
                if rebalanced.value != seenRebalances {
                    seenRebalances = rebalanced.value
                    backlog.retain(only: Set(try consumer.assignment()))
                }
                let batch = backlog.ready(at: .now, limit: configuration.batchSize)
                guard !batch.isEmpty else {
                    if polled.isEmpty { await runtime.relayOutbox(relay) }
                    continue
                }
                try await apply(batch, processor: processor)
            }
        }

        /// Applies one batch in one transaction, or schedules its retry.
        private mutating func apply(_ batch: [KafkaConsumerMessage], processor: RecordProcessor<Handler>) async throws {
            let started = ContinuousClock.now
            do {
                let results = try await runtime.store.write { transaction in
                    try processor.process(batch, in: transaction)
                }
                metrics.batchProcessed(duration: .now - started)
                count(results)
                try finish(batch)
                await runtime.relayOutbox(relay)
            } catch {
                try await retryLater(batch, after: error, processor: processor)
            }
        }

        /// Counts what became of applied records, and logs dead letters.
        private func count(_ results: [RecordResult]) {
            for result in results {
                switch result.outcome {
                case .processed: metrics.processed(topic: result.topic)
                case .duplicate: metrics.duplicate(topic: result.topic)
                case .deadLettered:
                    metrics.deadLettered(
                        topic: result.topic, errorClass: result.deadLetter?.errorClass ?? "handler")
                    logger.warning(
                        "dead-lettered a record",
                        metadata: [
                            "topic": "\(result.topic)", "class": "\(result.deadLetter?.errorClass ?? "")",
                            "reason": "\(result.deadLetter?.reason ?? "")",
                        ])
                }
            }
        }

        /// Marks a batch done: its offsets may now be committed, and its paused partitions resume.
        private mutating func finish(_ batch: [KafkaConsumerMessage]) throws {
            let resumed = backlog.succeeded(batch)
            if !resumed.isEmpty {
                try consumer.resume(resumed)
                logger.info("partitions resumed after retry", metadata: ["partitions": "\(resumed)"])
            }
            try consumer.storeOffsets(batch)
        }

        private mutating func retryLater(
            _ batch: [KafkaConsumerMessage], after error: any Error, processor: RecordProcessor<Handler>
        ) async throws {
            for (topic, records) in Dictionary(grouping: batch, by: \.topic) {
                metrics.retried(topic: topic, count: records.count)
            }
            let decision = backlog.failed(
                batch, at: .now, maxAttempts: configuration.maxAttempts, backoff: configuration.backoff)
            logger.warning(
                "batch failed; retrying with backoff",
                metadata: ["error": "\(error)", "paused": "\(decision.pause)", "exhausted": "\(decision.exhausted)"])
            try consumer.pause(decision.pause)
            guard !decision.exhausted.isEmpty else { return }
            // Out of attempts: apply the records one by one, so that only those that still fail are dead-lettered.
            let exhausted = Set(decision.exhausted)
            for record in batch where exhausted.contains(record.topicPartition) {
                do {
                    let results = try await runtime.store.write { transaction in
                        try processor.process([record], in: transaction)
                    }
                    count(results)
                    try finish([record])
                } catch {
                    // Straight to Kafka: the store may be what keeps failing.
                    let errorClass = (error as? RetryLater)?.errorClass ?? "handler"
                    let letter = DeadLetter(
                        errorClass: errorClass, reason: "gave up after \(configuration.maxAttempts) attempts: \(error)")
                    guard case .success = await producer.send([letter.record(for: record, worker: handler.name)]).first
                    else {
                        logger.error("could not dead-letter an exhausted record; it stays pending")
                        return
                    }
                    metrics.deadLettered(topic: record.topic, errorClass: errorClass)
                    try finish([record])
                }
            }
            await runtime.relayOutbox(relay)
        }
    }
}
