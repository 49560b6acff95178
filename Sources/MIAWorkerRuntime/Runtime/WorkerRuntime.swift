import Foundation
import Logging
import MIAContracts
import MIAKafka
import ServiceLifecycle
import Synchronization

/// Runs a ``WorkerHandler``: consumes its topics in its consumer group, applies batches with exactly-once
/// effects, relays the outbox, dead-letters bad input, retries transient failures, and shuts down gracefully.
///
/// The stages overlap: records are decoded and validated as they are polled, outside the store, while the previous
/// batch is written; a batch is applied in one store transaction (inbox check, handler, inbox entries, outbox rows,
/// dead letters), then its offsets are stored and committed; the outbox relay runs beside the loop, woken by every
/// batch that queued outputs, and marks what it sent in transactions of its own. A transient failure pauses the
/// batch's partitions and retries them with backoff; the records stay in memory in offset order.
public struct WorkerRuntime<Handler: WorkerHandler>: Service {
    public let handler: Handler
    public let configuration: WorkerRuntimeConfiguration
    public let store: any WorkerStore
    public let metrics: WorkerMetrics
    public let health: HealthState
    private let logger: Logger
    /// Set when the process began to shut down (``WorkerApplication``'s ``ShutdownNotice``): the runtime stops
    /// then, counting its budget from that moment, even while the service group is still shutting down the
    /// services listed after it.
    var processShutdown: StopFlag?

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
        let lease = StoreLease(name: "outbox", owner: "\(handler.name)-\(UUID().uuidString.lowercased())")
        var producerConfiguration = KafkaProducerConfiguration(kafka: configuration.kafka)
        producerConfiguration.kafka.clientId = "mia-\(handler.name)"
        // A relay pass hands its records over within a third of the lease, and every one is delivered or given
        // up a third later: all before another replica can take the lease over and publish newer records.
        producerConfiguration.deliveryTimeout = lease.duration / 3
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        var consumerConfiguration = KafkaConsumerConfiguration(
            kafka: configuration.kafka, groupId: handler.name, topics: handler.inputTopics)
        consumerConfiguration.kafka.clientId = "mia-\(handler.name)"
        consumerConfiguration.sessionTimeout = configuration.sessionTimeout
        consumerConfiguration.fetchWaitMax = configuration.fetchWaitMax
        consumerConfiguration.statisticsInterval = configuration.statisticsInterval
        let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger)
        let relay = OutboxRelay(store: store, producer: producer, lease: lease, worker: handler.name, logger: logger)

        let rebalanced = RebalanceCounter()
        let progress = PartitionProgress()
        let events = Task { [metrics, health] in
            for await event in consumer.events {
                switch event {
                case .assigned(let partitions):
                    metrics.rebalanced()
                    rebalanced.increment()
                    progress.assigned(partitions)
                    health.assignment(count: (try? await consumer.assignment().count) ?? partitions.count)
                case .revoked(let partitions):
                    rebalanced.increment()
                    progress.revoked(partitions)
                    metrics.removeLag(of: partitions)
                    health.assignment(count: (try? await consumer.assignment().count) ?? 0)
                case .statistics(let json):
                    for lag in ConsumerStatistics(json: json).lags {
                        let partition = TopicPartition(topic: lag.topic, partition: lag.partition)
                        // Only partitions this member owns: a revoked one's gauge is gone for good.
                        guard progress.lag(partition, lag.lag) else { continue }
                        metrics.lag(topic: lag.topic, partition: lag.partition, value: lag.lag)
                    }
                }
            }
        }

        logger.info(
            "worker starting",
            metadata: ["worker": "\(handler.name)", "topics": "\(handler.inputTopics.joined(separator: ","))"])
        // The relay runs beside the loop from the start: its first pass publishes what a previous run committed and
        // did not relay before it stopped.
        let relayBell = Doorbell()
        let relayStop = StopFlag()
        let relayTask = Task { await relayContinuously(relay, bell: relayBell, until: relayStop) }

        // On graceful shutdown the loop finishes the batch in flight and stops. A batch that cannot finish in its
        // share of the shutdown budget (a store that does not answer) is left behind: its transaction commits or
        // not, its offsets are not committed, and the inbox makes its redelivery harmless.
        let stop = StopFlag()
        let budget = ShutdownBudget(total: configuration.shutdownDeadline)
        let loop = Loop(
            runtime: self, consumer: consumer, producer: producer, relayBell: relayBell, rebalanced: rebalanced,
            progress: progress)
        let finished = StopFlag()
        let loopTask = Task {
            defer { finished.set() }
            var loop = loop
            try await loop.run(until: stop)
        }
        try await withGracefulShutdownHandler {
            while !finished.isSet {
                if processShutdown?.isSet == true { stop.set() }
                if let asked = stop.setAt, ContinuousClock.now - asked > budget.share(of: .loop) {
                    logger.warning(
                        "the batch in flight did not finish in time; shutting down without it",
                        metadata: ["after": "\(budget.share(of: .loop))"])
                    break
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            if finished.isSet {
                do {
                    try await loopTask.value
                } catch let error as KafkaError where error.isFatal {
                    // No retry fixes it: fail /healthz and exit non-zero, so that the orchestrator restarts the
                    // process. Effects are durable and offsets were committed only for them; unsent outputs stay
                    // in the outbox for the next run.
                    health.fatal("\(error)")
                    logger.critical(
                        "stopping on a fatal Kafka client error; restart the process", metadata: ["error": "\(error)"])
                    throw error
                }
            }
        } onGracefulShutdown: {
            stop.set()
        }
        health.stopping()
        logger.info("worker stopping: relaying the outbox and committing offsets")
        // Each step is bounded by its share of --shutdown-timeout, so that the process exits in time even when the
        // store, the broker or the group hangs; what is left undone is safe: offsets were committed per batch, and
        // unsent outbox rows are relayed after a restart.
        let started = stop.setAt ?? .now
        await withDeadline("relaying the outbox", budget.remaining(for: .relay, since: started)) {
            // The relay's pass in flight ends first; then one more pass takes what the last batches queued.
            relayStop.set()
            relayBell.ring()
            await relayTask.value
            await relayOutbox(relay)
        }
        relayTask.cancel()
        await withDeadline("releasing the relay lease", budget.remaining(for: .lease, since: started)) {
            _ = try? await store.write { transaction in try transaction.release(lease) }
        }
        await withDeadline("the final commit", budget.remaining(for: .commit, since: started)) { [logger] in
            do {
                try await consumer.commit()
            } catch {
                logger.warning("final commit failed", metadata: ["error": "\(error)"])
            }
        }
        await withDeadline("leaving the consumer group", budget.remaining(for: .leave, since: started)) {
            await consumer.close()
        }
        await withDeadline("flushing the producer", budget.remaining(for: .flush, since: started)) {
            await producer.close(timeout: budget.remaining(for: .flush, since: started))
        }
        events.cancel()
        logger.info(
            "worker stopped", metadata: ["worker": "\(handler.name)", "statements": "\(StoreStatements.count)"])
        // Stopped by the process's shutdown before the group reached this service: return only when it does,
        // since a service group takes a service that ends while it shuts down another for a failure.
        if processShutdown?.isSet == true { try? await gracefulShutdown() }
    }

    @discardableResult
    fileprivate func relayOutbox(_ relay: OutboxRelay) async -> OutboxRelay.Result? {
        do {
            let result = try await relay.relay()
            metrics.outbox(pending: result.pending)
            if result.refused > 0 { metrics.outboxRefused(count: result.refused) }
            return result
        } catch {
            logger.warning("outbox relay failed; will retry", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Applies records in one store transaction; when the handler refuses one of them, applies them again with
    /// each record in a savepoint, so that the refused one's changes alone are undone.
    fileprivate func apply(
        _ records: [DecodedRecord], processor: RecordProcessor<Handler>
    ) async throws -> [RecordResult] {
        do {
            return try await store.write { transaction in try processor.process(records, in: transaction) }
        } catch is RecordIsolationNeeded {
            return try await store.write { transaction in
                try processor.process(records, in: transaction, isolated: true)
            }
        }
    }

    /// Relays the outbox until `stop` is set: at once while rows are left, after a ring of `bell` (a batch queued
    /// outputs) or ``idleRelayInterval`` otherwise (the holder of the relay lease also publishes what other
    /// replicas on the store queued, and renews its lease), a second after a failure.
    fileprivate func relayContinuously(_ relay: OutboxRelay, bell: Doorbell, until stop: StopFlag) async {
        while !stop.isSet {
            let result = await relayOutbox(relay)
            if let result, result.held, result.failed == 0, result.pending > 0 { continue }
            let settled = result.map { $0.failed == 0 } ?? false
            await bell.wait(timeout: settled ? Self.idleRelayInterval : .seconds(1))
        }
    }

    /// How often an idle worker relays the outbox.
    static var idleRelayInterval: Duration { .milliseconds(500) }

    private func withDeadline(
        _ step: String, _ deadline: Duration, _ body: @escaping @Sendable () async -> Void
    ) async {
        await runBounded(step, deadline, logger: logger, body)
    }
}

/// Set once, when the worker is asked to stop (or a task has finished), remembering when.
final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    private let time = Mutex<ContinuousClock.Instant?>(nil)
    func set() {
        time.withLock { time in if time == nil { time = .now } }
        flag.store(true, ordering: .releasing)
    }
    var isSet: Bool { flag.load(ordering: .acquiring) }
    /// When it was first set.
    var setAt: ContinuousClock.Instant? { time.withLock { $0 } }
}

/// Counts rebalances, so that the loop notices one and drops records of partitions it lost.
final class RebalanceCounter: Sendable {
    private let count = Atomic<Int>(0)
    func increment() { count.add(1, ordering: .relaxed) }
    var value: Int { count.load(ordering: .relaxed) }
}

extension WorkerRuntime {
    /// The consume-apply loop and its mutable state.
    fileprivate struct Loop {
        let runtime: WorkerRuntime
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        /// Rung after a batch that queued outputs: the relay publishes them.
        let relayBell: Doorbell
        let rebalanced: RebalanceCounter
        let progress: PartitionProgress
        var backlog = PartitionBacklog<DecodedRecord>()
        var seenRebalances = 0
        /// The partitions this loop has paused and not resumed. Only these are resumed after a rebalance: resuming
        /// a partition that was never paused makes librdkafka fetch it again from its committed offset, handing
        /// out records it already handed out.
        var paused = Set<TopicPartition>()
        /// When the stalled partitions were last looked for.
        var lastStallCheck = ContinuousClock.now
        /// The partitions `/readyz` reports as stalled.
        var reportedStalled = Set<TopicPartition>()
        /// When the inbox is pruned next (a step at once after a step that found more to delete).
        var nextPrune = ContinuousClock.now

        /// How long the loop waits at the broker, at most, before it looks again at retries.
        static var longestWait: Duration { .milliseconds(100) }

        private var handler: Handler { runtime.handler }
        private var configuration: WorkerRuntimeConfiguration { runtime.configuration }
        private var metrics: WorkerMetrics { runtime.metrics }
        private var logger: Logger { runtime.logger }

        mutating func run(until stop: StopFlag) async throws {
            var processor = RecordProcessor(handler: handler)
            processor.legacyKeys = await inboxHasLegacyKeys()
            let decoder = EventDecoder(configuration: .init(maxMessageBytes: configuration.maxMessageBytes))
            while !stop.isSet && !Task.isCancelled {
                if let fatal = producer.fatalError ?? consumer.fatalError { throw fatal }
                runtime.health.loopTurned()
                let batch = backlog.ready(at: .now, limit: configuration.batchSize)
                if batch.isEmpty {
                    intake(try await pollOrWait(), decoder: decoder)
                } else {
                    // The batch is written while the records after it are polled and decoded.
                    async let written = write(batch, processor: processor)
                    let polled = try await poll(waiting: .zero)
                    intake(polled, decoder: decoder)
                    try await settle(batch, await written, processor: processor)
                }
                if rebalanced.value != seenRebalances {
                    seenRebalances = rebalanced.value
                    try await rebalance()
                }
                checkStalls()
                if ContinuousClock.now >= nextPrune { await pruneInbox() }
            }
        }

        /// Counts, decodes and queues polled records.
        private mutating func intake(_ polled: [KafkaConsumerMessage], decoder: EventDecoder) {
            guard !polled.isEmpty else { return }
            for (topic, records) in Dictionary(grouping: polled, by: \.topic) {
                metrics.consumed(topic: topic, count: records.count)
            }
            backlog.append(polled.map { DecodedRecord($0, decoder: decoder) })
        }

        /// Whether the inbox holds rows keyed by a bare event id, from before keys named the event's source (when
        /// the store cannot tell, it is assumed to: looking them up costs a little, missing them double effects).
        private func inboxHasLegacyKeys() async -> Bool {
            let found = try? await runtime.store.read { transaction in
                try transaction.queryOne(
                    "SELECT 1 AS found FROM mia_inbox WHERE input_key NOT LIKE '% %' AND input_key NOT LIKE 'raw:%' LIMIT 1",
                    []) != nil
            }
            return found ?? true
        }

        /// Deletes one step of inbox rows handled longer ago than the horizon, by the store's clock: a short
        /// transaction, repeated on the next turns while there is more.
        private mutating func pruneInbox() async {
            let step = configuration.inboxPruneStep
            let horizon = configuration.inboxHorizon.wholeMilliseconds
            do {
                let deleted = try await runtime.store.write { transaction in
                    try transaction.execute(
                        """
                        DELETE FROM mia_inbox WHERE input_key IN (
                            SELECT input_key FROM mia_inbox WHERE handled_at < \(transaction.dialect.nowMilliseconds) - ?
                            ORDER BY handled_at LIMIT ?)
                        """,
                        [.integer(horizon), .int(step)])
                }
                if deleted > 0 { metrics.inboxPruned(count: deleted) }
                nextPrune = deleted >= step ? .now : .now + configuration.inboxPruneInterval
            } catch {
                logger.warning("pruning the inbox failed; will retry", metadata: ["error": "\(error)"])
                nextPrune = .now + min(configuration.inboxPruneInterval, .seconds(30))
            }
        }

        /// Polls for records when there is room for them; otherwise, and whenever nothing is ready to apply,
        /// waits until the next retry is due (at most ``longestWait``) without using the CPU.
        private func pollOrWait() async throws -> [KafkaConsumerMessage] {
            let now = ContinuousClock.now
            var wait = Self.longestWait
            if let retry = backlog.nextRetry { wait = min(wait, max(.zero, retry - now)) }
            return try await poll(waiting: wait)
        }

        /// Polls for up to a batch of records, when the backlog has room for them, waiting at most `wait`; sleeps
        /// `wait` when it has none (it is full of records waiting for their retry).
        private func poll(waiting wait: Duration) async throws -> [KafkaConsumerMessage] {
            let room = max(configuration.batchSize * 4 - backlog.count, 0)
            guard room > 0 else {
                if wait > .zero { try? await Task.sleep(for: wait) }
                return []
            }
            return try await consumer.poll(maxMessages: min(room, configuration.batchSize), timeout: wait)
        }

        /// After a rebalance: forgets what this member lost and resumes what it paused, owns and is not retrying.
        private mutating func rebalance() async throws {
            let assigned = try await consumer.assignment()
            try resume(backlog.retain(only: Set(assigned)))
        }

        private mutating func pause(_ partitions: [TopicPartition]) throws {
            try consumer.pause(partitions)
            paused.formUnion(partitions)
        }

        /// Resumes those of `partitions` this loop paused.
        private mutating func resume(_ partitions: [TopicPartition]) throws {
            let resumed = partitions.filter { paused.contains($0) }
            guard !resumed.isEmpty else { return }
            try consumer.resume(resumed)
            paused.subtract(resumed)
        }

        /// Turns `/readyz` red while a partition has records waiting and has not progressed for longer than the
        /// stall limit. Looked at once a second, and at once when a partition reported stalled progresses, so that
        /// `/readyz` turns green with the records that end the stall.
        private mutating func checkStalls(now force: Bool = false) {
            let now = ContinuousClock.now
            guard force || now - lastStallCheck >= .seconds(1) else { return }
            lastStallCheck = now
            let stalled = progress.stalled(at: now, limit: configuration.stallLimit, waiting: backlog.waiting)
            if !stalled.isEmpty {
                logger.warning(
                    "partitions stalled",
                    metadata: ["partitions": "\(stalled.map { "\($0.0) for \($0.1)" }.joined(separator: ", "))"])
            }
            reportedStalled = Set(stalled.map(\.0))
            runtime.health.stalled(stalled.map(\.0.description))
        }

        /// Applies one batch in one store transaction.
        private func write(
            _ batch: [DecodedRecord], processor: RecordProcessor<Handler>
        ) async -> (results: Result<[RecordResult], any Error>, duration: Duration) {
            let started = ContinuousClock.now
            do {
                return (.success(try await runtime.apply(batch, processor: processor)), .now - started)
            } catch {
                return (.failure(error), .now - started)
            }
        }

        /// Acts on a written batch: stores its offsets and wakes the relay, or schedules its retry.
        private mutating func settle(
            _ batch: [DecodedRecord], _ written: (results: Result<[RecordResult], any Error>, duration: Duration),
            processor: RecordProcessor<Handler>
        ) async throws {
            switch written.results {
            case .success(let results):
                runtime.health.outage(nil)
                metrics.batchProcessed(duration: written.duration)
                count(results)
                try finish(batch)
                if results.contains(where: { $0.outputs > 0 || $0.outcome == .deadLettered }) { relayBell.ring() }
            case .failure(let error):
                try await retry(batch, after: error, processor: processor)
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

        /// Marks records done: their offsets may now be committed, and their paused partitions resume.
        private mutating func finish(_ records: [DecodedRecord]) throws {
            let resumed = backlog.succeeded(records)
            if !resumed.isEmpty {
                try resume(resumed)
                logger.info("partitions resumed after retry", metadata: ["partitions": "\(resumed)"])
            }
            try consumer.storeOffsets(records.map(\.message))
            let partitions = Set(records.map(\.topicPartition))
            progress.progressed(partitions)
            if !reportedStalled.isDisjoint(with: partitions) { checkStalls(now: true) }
        }

        /// Schedules the retry of a failed batch. An outage is waited out for as long as it lasts; a failure of
        /// the records themselves is retried `--max-attempts` times, then the records are applied one by one so
        /// that only those that still fail are dead-lettered.
        private mutating func retry(
            _ batch: [DecodedRecord], after error: any Error, processor: RecordProcessor<Handler>
        ) async throws {
            for (topic, records) in Dictionary(grouping: batch, by: \.topic) {
                metrics.retried(topic: topic, count: records.count)
            }
            let kind = FailureKind(of: error)
            let decision = backlog.failed(
                batch, kind: kind, at: ContinuousClock.now, maxAttempts: configuration.maxAttempts,
                backoff: configuration.backoff)
            if kind == .infrastructure {
                runtime.health.outage("\(error)")
                logger.warning(
                    "store or broker unavailable; waiting it out",
                    metadata: ["error": "\(error)", "paused": "\(decision.pause)"])
            } else {
                logger.warning(
                    "batch failed; retrying with backoff",
                    metadata: [
                        "error": "\(error)", "paused": "\(decision.pause)", "exhausted": "\(decision.exhausted)",
                    ])
            }
            try pause(decision.pause)
            guard !decision.exhausted.isEmpty else { return }
            let exhausted = Set(decision.exhausted)
            var interrupted = Set<TopicPartition>()
            for record in batch where exhausted.contains(record.topicPartition) {
                // Records of a partition stay in order: once one of them has to wait, so do the ones after it.
                guard !interrupted.contains(record.topicPartition) else { continue }
                if try await applyAlone(record, processor: processor) == false {
                    interrupted.insert(record.topicPartition)
                }
            }
        }

        /// Applies one record of an exhausted partition, or dead-letters it when it fails again.
        ///
        /// - Returns: false when an outage interrupted it: the record stays in the backlog, its partition paused.
        private mutating func applyAlone(
            _ record: DecodedRecord, processor: RecordProcessor<Handler>
        ) async throws -> Bool {
            let failure: any Error
            do {
                let results = try await runtime.apply([record], processor: processor)
                count(results)
                try finish([record])
                relayBell.ring()
                return true
            } catch {
                failure = error
            }
            guard FailureKind(of: failure) == .record else {
                try waitOutOutage([record], after: failure)
                return false
            }
            let attempts = backlog.attempts(of: record.topicPartition)
            let errorClass = (failure as? RetryLater)?.errorClass ?? "handler"
            let letter = DeadLetter(
                errorClass: errorClass, reason: "gave up after \(attempts) attempts: \(failure)",
                attempts: attempts)
            // Straight to Kafka: the store transaction is what kept failing.
            let sent = await producer.send([letter.record(for: record.message, worker: handler.name)])
            if case .failure(let error) = sent.first {
                try waitOutOutage([record], after: error)
                return false
            }
            metrics.deadLettered(topic: record.topic, errorClass: errorClass)
            try finish([record])
            return true
        }

        private mutating func waitOutOutage(_ records: [DecodedRecord], after error: any Error) throws {
            let decision = backlog.failed(
                records, kind: .infrastructure, at: ContinuousClock.now, maxAttempts: configuration.maxAttempts,
                backoff: configuration.backoff)
            runtime.health.outage("\(error)")
            logger.warning(
                "store or broker unavailable; waiting it out",
                metadata: ["error": "\(error)", "paused": "\(decision.pause)"])
            try pause(decision.pause)
        }
    }
}
