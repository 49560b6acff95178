import CRdKafka
import Dispatch
import Logging
import Synchronization

/// A consumer-group member with at-least-once offset handling.
///
/// Offsets advance only for records passed to ``storeOffsets(_:)`` after they were processed; stored offsets
/// are committed in the background, before partitions are revoked in a rebalance, and on ``close()``.
/// Every blocking librdkafka call runs on the consumer's own serial dispatch queue, never on Swift's
/// cooperative thread pool.
///
/// ```swift
/// let consumer = try KafkaConsumer(configuration: .init(kafka: kafka, groupId: "booker", topics: [...]), logger: logger)
/// while !Task.isCancelled {
///     let batch = try await consumer.poll(maxMessages: 500)
///     try await process(batch)
///     try consumer.storeOffsets(batch)
/// }
/// await consumer.close()
/// ```
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: DispatchQueue
    private let closed = Atomic<Bool>(false)
    private let logger: Logger
    /// Assignments, revocations and statistics, in the order they happened.
    public let events: AsyncStream<KafkaConsumerEvent>
    private let eventSink: AsyncStream<KafkaConsumerEvent>.Continuation

    /// Creates a consumer and subscribes it to ``KafkaConsumerConfiguration/topics``.
    ///
    /// With no topics the consumer joins nothing: it only reads the group's ``committed(_:timeout:)`` offsets
    /// and watermarks, for example to measure a group's lag from outside.
    ///
    /// - Throws: ``KafkaError/Code/configuration`` for a rejected property, ``KafkaError/Code/consumer`` when
    ///   the subscription fails.
    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        let (events, sink) = AsyncStream<KafkaConsumerEvent>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        var onStatistics: (@Sendable (String) -> Void)?
        if configuration.statisticsInterval != nil {
            onStatistics = { json in sink.yield(.statistics(json)) }
        }
        let callbacks = RDKafkaCallbacks(
            logger: logger, onStatistics: onStatistics,
            onRebalance: { rebalance in KafkaConsumer.handle(rebalance, logger: logger, events: sink) })
        client = try RDKafkaClient(kind: .consumer, properties: configuration.properties, callbacks: callbacks)
        queue = DispatchQueue(label: "mia.kafka.consumer.\(configuration.groupId)")
        self.logger = logger
        self.events = events
        eventSink = sink
        // Route the main queue (rebalances, statistics, errors) to rd_kafka_consumer_poll.
        rd_kafka_poll_set_consumer(client.handle)
        guard !configuration.topics.isEmpty else { return }
        let topics = RDKafkaTopicPartitionList.make(
            configuration.topics.map { TopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        defer { rd_kafka_topic_partition_list_destroy(topics) }
        let err = rd_kafka_subscribe(client.handle, topics)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(err, context: "subscribing to \(configuration.topics.joined(separator: ","))")
        }
    }

    /// Waits up to `timeout` for records and returns at most `maxMessages` of them (possibly none).
    ///
    /// Rebalances and statistics are served during the call, so call it regularly.
    /// - Throws: ``KafkaError/Code/closed`` after ``close()``; a fatal consumer error.
    public func poll(maxMessages: Int = 500, timeout: Duration = .milliseconds(100)) async throws(KafkaError)
        -> [KafkaConsumerMessage]
    {
        let client = self.client
        let logger = self.logger
        let closed = self.closed.load(ordering: .relaxed)
        if closed { throw KafkaError(code: .closed, message: "the consumer is closed") }
        let result: Result<[KafkaConsumerMessage], KafkaError> = await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(
                    returning: Self.pollBatch(
                        client: client, maxMessages: maxMessages, timeout: timeout, logger: logger))
            }
        }
        return try result.get()
    }

    /// Marks records as processed: their offsets (plus one) become the ones committed for their partitions.
    ///
    /// Call it only after a record's effects are durable. Records of partitions no longer assigned are
    /// skipped (their new owner will see them again).
    public func storeOffsets(_ messages: [KafkaConsumerMessage]) throws(KafkaError) {
        var next: [TopicPartition: Int64] = [:]
        for message in messages {
            next[message.topicPartition] = max(next[message.topicPartition] ?? 0, message.offset + 1)
        }
        try storeOffsets(
            next.map { TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) })
    }

    /// Stores explicit next-offsets to commit (the offset of the next record to read).
    public func storeOffsets(_ offsets: [TopicPartitionOffset]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(offsets.map { ($0.topicPartition, $0.offset) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_offsets_store(client.handle, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__STATE {
            throw KafkaError.rdKafka(err, context: "storing offsets")
        }
    }

    /// Commits the stored offsets now and waits for the broker's answer.
    public func commit() async throws(KafkaError) {
        let client = self.client
        let err = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: rd_kafka_commit(client.handle, nil, 0)) }
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError.rdKafka(err, context: "committing offsets")
        }
    }

    /// Stops fetching from these partitions until ``resume(_:)``; their position is kept.
    ///
    /// Pausing and resuming are asynchronous in librdkafka (a partition lock held briefly and an operation queued
    /// for its threads, no wait for an answer), so unlike ``assignment()`` they may run on any thread.
    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try changePause(partitions, pause: true)
    }

    /// Resumes fetching from paused partitions.
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        try changePause(partitions, pause: false)
    }

    /// The partitions currently assigned to this member.
    ///
    /// librdkafka answers this from its group thread and the caller waits for the answer, so it runs on a
    /// dispatch thread, never on Swift's cooperative pool.
    public func assignment() async throws(KafkaError) -> [TopicPartition] {
        let client = self.client
        let result: Result<[TopicPartition], KafkaError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try Self.assignment(of: client)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    private static func assignment(of client: RDKafkaClient) throws(KafkaError) -> [TopicPartition] {
        var list: RDKafkaTopicPartitionList.Pointer?
        let err = rd_kafka_assignment(client.handle, &list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
            throw KafkaError.rdKafka(err, context: "reading the assignment")
        }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.partitions(list).sorted()
    }

    /// The group's committed offsets of these partitions (`-1001` where none is committed).
    public func committed(_ partitions: [TopicPartition], timeout: Duration = .seconds(10)) throws(KafkaError)
        -> [TopicPartitionOffset]
    {
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_committed(client.handle, list, timeout.milliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(err, context: "reading committed offsets")
        }
        return RDKafkaTopicPartitionList.entries(list).map(\.0)
    }

    /// Low and high watermark of a partition.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) throws(KafkaError)
        -> (low: Int64, high: Int64)
    {
        try client.watermarks(topic: topic, partition: partition, timeout: timeout)
    }

    /// Leaves the group: revokes the assignment (committing stored offsets first), commits, and stops.
    ///
    /// It unsubscribes first and serves the revocation that follows (records still handed out meanwhile are
    /// dropped, their offsets not stored), and closes once nothing is assigned: librdkafka 2.0.2 aborts the
    /// process (`rd_kafka_cgrp_terminated: assert: !rd_kafka_assignment_in_progress`) when a consumer is closed in
    /// the middle of a rebalance, as when every replica of a worker is stopped at once.
    ///
    /// Safe to call more than once. The librdkafka handle is destroyed when the consumer is released.
    public func close() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let client = self.client
        let err = await withCheckedContinuation { continuation in
            queue.async {
                Self.leaveGroup(client: client, within: .seconds(10))
                continuation.resume(returning: rd_kafka_consumer_close(client.handle))
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning(
                "consumer close reported an error", metadata: ["error": "\(String(cString: rd_kafka_err2str(err)))"])
        }
        eventSink.finish()
    }

    // MARK: - librdkafka calls

    /// Unsubscribes and serves the group's callbacks until nothing is assigned and no rebalance is under way,
    /// or `limit` has passed.
    private static func leaveGroup(client: RDKafkaClient, within limit: Duration) {
        guard rd_kafka_unsubscribe(client.handle) == RD_KAFKA_RESP_ERR_NO_ERROR else { return }
        let deadline = ContinuousClock.now + limit
        var quietPolls = 0
        while ContinuousClock.now < deadline {
            if let message = rd_kafka_consumer_poll(client.handle, 50) {
                rd_kafka_message_destroy(message)
                quietPolls = 0
                continue
            }
            var list: RDKafkaTopicPartitionList.Pointer?
            let err = rd_kafka_assignment(client.handle, &list)
            let assigned = list.map { Int($0.pointee.cnt) } ?? 0
            if let list { rd_kafka_topic_partition_list_destroy(list) }
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, assigned == 0 else {
                quietPolls = 0
                continue
            }
            // Unassigned: a few quiet polls more let the revocation's own operations finish.
            quietPolls += 1
            if quietPolls >= 3 { return }
        }
    }

    private func changePause(_ partitions: [TopicPartition], pause: Bool) throws(KafkaError) {
        guard !partitions.isEmpty else { return }
        let list = RDKafkaTopicPartitionList.make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err =
            pause ? rd_kafka_pause_partitions(client.handle, list) : rd_kafka_resume_partitions(client.handle, list)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(err, context: pause ? "pausing partitions" : "resuming partitions")
        }
    }

    /// The first fatal error of this consumer (failed authentication, no right to the group or a topic), after
    /// which it cannot make progress: the owner should stop and let the process be restarted.
    public var fatalError: KafkaError? { client.callbacks.fatalError }

    /// One batch: a first poll that may wait, then non-waiting polls until the batch is full or nothing is ready.
    private static func pollBatch(
        client: RDKafkaClient, maxMessages: Int, timeout: Duration, logger: Logger
    ) -> Result<[KafkaConsumerMessage], KafkaError> {
        var batch: [KafkaConsumerMessage] = []
        var wait = timeout.milliseconds
        while batch.count < maxMessages {
            guard let message = rd_kafka_consumer_poll(client.handle, wait) else { break }
            wait = 0
            defer { rd_kafka_message_destroy(message) }
            let record = message.pointee
            if record.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let error = KafkaError.rdKafka(record.err, context: "consumer error")
                if error.isFatal {
                    client.callbacks.noteFatal(error)
                    return .failure(error)
                }
                // Transient errors (a broker down, a partition moving) are retried by librdkafka.
                logger.debug("consumer event", metadata: ["error": "\(String(cString: rd_kafka_err2str(record.err)))"])
                continue
            }
            var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            let timestamp = rd_kafka_message_timestamp(message, &timestampType)
            batch.append(
                KafkaConsumerMessage(
                    topic: String(cString: rd_kafka_topic_name(record.rkt)),
                    partition: record.partition,
                    offset: record.offset,
                    key: RDKafkaMessage.bytes(record.key, count: record.key_len),
                    value: RDKafkaMessage.bytes(record.payload, count: record.len) ?? [],
                    headers: RDKafkaMessage.headers(of: message),
                    timestampMilliseconds: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
                    isTombstone: record.payload == nil))
        }
        return .success(batch)
    }

    /// Applies a rebalance. Runs inside `rd_kafka_consumer_poll`, between batches, so every record handed out
    /// before it has been processed (and its offset stored) by the time partitions are revoked.
    private static func handle(
        _ rebalance: RDKafkaRebalance, logger: Logger, events: AsyncStream<KafkaConsumerEvent>.Continuation
    ) {
        let rk = rebalance.handle
        let partitions = RDKafkaTopicPartitionList.partitions(rebalance.partitions).sorted()
        let cooperative = rd_kafka_rebalance_protocol(rk).map { String(cString: $0) } == "COOPERATIVE"
        switch rebalance.error {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, rebalance.partitions) {
                    logger.error(
                        "incremental assign failed",
                        metadata: ["error": "\(KafkaError.consuming(error, context: "assign"))"])
                }
            } else {
                rd_kafka_assign(rk, rebalance.partitions)
            }
            logger.info(
                "partitions assigned",
                metadata: ["partitions": "\(partitions.map(\.description).joined(separator: " "))"])
            events.yield(.assigned(partitions))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // Commit what was processed before the partitions go to another member.
            let err = rd_kafka_commit(rk, nil, 0)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
                logger.warning(
                    "commit before revoke failed", metadata: ["error": "\(String(cString: rd_kafka_err2str(err)))"])
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, rebalance.partitions) {
                    logger.error(
                        "incremental unassign failed",
                        metadata: ["error": "\(KafkaError.consuming(error, context: "unassign"))"])
                }
            } else {
                rd_kafka_assign(rk, nil)
            }
            logger.info(
                "partitions revoked",
                metadata: ["partitions": "\(partitions.map(\.description).joined(separator: " "))"])
            events.yield(.revoked(partitions))
        default:
            logger.error(
                "rebalance failed", metadata: ["error": "\(String(cString: rd_kafka_err2str(rebalance.error)))"])
            rd_kafka_assign(rk, nil)
        }
    }
}
