import CRdKafka
import Dispatch
import Logging

/// An idempotent, compressing Kafka producer whose `send` awaits the broker's delivery report.
///
/// ```swift
/// let producer = try KafkaProducer(configuration: .init(kafka: kafka), logger: logger)
/// let report = try await producer.send(KafkaProducerMessage(topic: "mia.referral.v1", key: "p-1", value: bytes))
/// await producer.close()
/// ```
///
/// - Important: Call ``close(timeout:)`` when done: it flushes outstanding messages and releases the
///   librdkafka handle and its poll thread.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let pollThread: RDKafkaPollThread
    private let logger: Logger
    /// librdkafka's statistics JSON, when ``KafkaProducerConfiguration/statisticsInterval`` is set.
    public let statistics: AsyncStream<String>

    /// Creates a producer.
    ///
    /// - Throws: ``KafkaError/Code/configuration`` when a property is rejected.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let (statistics, statisticsContinuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(8))
        var onStatistics: (@Sendable (String) -> Void)?
        if configuration.statisticsInterval != nil {
            onStatistics = { json in statisticsContinuation.yield(json) }
        }
        let callbacks = RDKafkaCallbacks(logger: logger, onStatistics: onStatistics)
        client = try RDKafkaClient(kind: .producer, properties: configuration.properties, callbacks: callbacks) {
            rd_kafka_conf_set_dr_msg_cb($0, deliveryReportCallback)
        }
        self.logger = logger
        self.statistics = statistics
        pollThread = RDKafkaPollThread(client: client, name: "mia-kafka-producer-poll")
    }

    deinit {
        pollThread.stop()
    }

    /// Produces one record and waits for its delivery report.
    ///
    /// - Throws: A ``KafkaError`` when the record cannot be enqueued or the broker does not acknowledge it
    ///   within the delivery timeout.
    public func send(_ message: KafkaProducerMessage) async throws(KafkaError) -> DeliveryReport {
        try await send([message])[0].get()
    }

    /// Produces a batch of records and waits until every one has a delivery report.
    ///
    /// Records are enqueued in order, so records with the same key keep their order. When the local queue is
    /// full the call waits for room instead of failing.
    ///
    /// - Returns: One result per record, in the order given.
    public func send(_ messages: [KafkaProducerMessage]) async -> [Result<DeliveryReport, KafkaError>] {
        await submit(messages).results()
    }

    /// Enqueues a batch of records, in order, and returns once all are in librdkafka's queue, before their
    /// delivery reports: a caller that streams records submits the next batch while this one is on its way,
    /// which keeps the queue full. Records with the same key keep their order across batches.
    ///
    /// When the local queue is full the call waits for room instead of failing.
    public func submit(_ messages: [KafkaProducerMessage]) async -> PendingDeliveries {
        let collector = DeliveryCollector(count: messages.count)
        for (index, message) in messages.enumerated() {
            let ticket = Unmanaged.passRetained(DeliveryTicket(collector: collector, index: index))
            while true {
                let error = enqueue(message, opaque: ticket.toOpaque())
                guard let error else { break }
                if error.code == .queueFull {
                    // Back-pressure: wait for delivery reports to free the queue.
                    try? await Task.sleep(for: .milliseconds(2))
                    continue
                }
                ticket.release()
                collector.complete(index, .failure(error))
                break
            }
        }
        return PendingDeliveries(collector: collector)
    }

    /// Waits until every enqueued record has been delivered or has failed.
    ///
    /// - Throws: ``KafkaError/Code/timeout`` when records are still outstanding after `timeout`.
    public func flush(timeout: Duration = .seconds(30)) async throws(KafkaError) {
        let client = self.client
        let err = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: rd_kafka_flush(client.handle, timeout.milliseconds))
            }
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(err, context: "flushing \(rd_kafka_outq_len(client.handle)) outstanding records")
        }
    }

    /// Flushes outstanding records, then stops the poll thread. The handle is destroyed when the producer is
    /// released.
    public func close(timeout: Duration = .seconds(30)) async {
        do {
            try await flush(timeout: timeout)
        } catch {
            logger.warning("closing producer with undelivered records", metadata: ["error": "\(error)"])
        }
        pollThread.stop()
    }

    /// The first fatal error of this producer (a fatal idempotence error, failed authentication or authorisation),
    /// after which it cannot deliver anything: the owner should stop and let the process be restarted.
    public var fatalError: KafkaError? { client.callbacks.fatalError }

    /// Number of records waiting in the local queue or in flight.
    public var outstanding: Int {
        Int(rd_kafka_outq_len(client.handle))
    }

    /// Low and high watermark of a partition.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) throws(KafkaError)
        -> (low: Int64, high: Int64)
    {
        try client.watermarks(topic: topic, partition: partition, timeout: timeout)
    }

    private func enqueue(_ message: KafkaProducerMessage, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        let headers = RDKafkaMessage.makeHeaders(message.headers)
        let error: OpaquePointer? = message.topic.withCString { topic in
            message.value.withUnsafeBytes { value in
                withOptionalBytes(message.key) { key in
                    var values = [rd_kafka_vu_t](repeating: rd_kafka_vu_t(), count: 7)
                    var count = 0
                    func add(_ build: (inout rd_kafka_vu_t) -> Void) {
                        build(&values[count])
                        count += 1
                    }
                    add {
                        $0.vtype = RD_KAFKA_VTYPE_TOPIC; $0.u.cstr = topic
                    }
                    add {
                        // A null pointer is a null value: a tombstone, not an empty one.
                        $0.vtype = RD_KAFKA_VTYPE_VALUE
                        $0.u.mem.ptr = message.isTombstone ? nil : UnsafeMutableRawPointer(mutating: value.baseAddress)
                        $0.u.mem.size = message.isTombstone ? 0 : value.count
                    }
                    if let key {
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_KEY
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                            $0.u.mem.size = key.count
                        }
                    }
                    if let partition = message.partition {
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_PARTITION; $0.u.i32 = partition
                        }
                    }
                    if let headers {
                        add {
                            $0.vtype = RD_KAFKA_VTYPE_HEADERS; $0.u.headers = headers
                        }
                    }
                    add {
                        $0.vtype = RD_KAFKA_VTYPE_MSGFLAGS; $0.u.i = RD_KAFKA_MSG_F_COPY
                    }
                    add {
                        $0.vtype = RD_KAFKA_VTYPE_OPAQUE; $0.u.ptr = opaque
                    }
                    return rd_kafka_produceva(client.handle, values, count)
                }
            }
        }
        guard let error else { return nil }  // librdkafka now owns the headers
        if let headers { rd_kafka_headers_destroy(headers) }
        return KafkaError.consuming(error, context: "producing to \(message.topic)")
    }
}

/// Resolves the ``DeliveryTicket`` a record was produced with. Runs on the producer's poll thread.
private let deliveryReportCallback:
    @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?) -> Void = {
        rk, message, _ in
        guard let message, let opaque = message.pointee._private else { return }
        let ticket = Unmanaged<DeliveryTicket>.fromOpaque(opaque).takeRetainedValue()
        let report = message.pointee
        if report.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            let topic = String(cString: rd_kafka_topic_name(report.rkt))
            ticket.collector.complete(
                ticket.index, .success(DeliveryReport(topic: topic, partition: report.partition, offset: report.offset))
            )
        } else {
            let error = KafkaError.rdKafka(report.err, context: "delivery failed")
            if error.isFatal, let rk { RDKafkaCallbacks.from(rd_kafka_opaque(rk))?.noteFatal(error) }
            ticket.collector.complete(ticket.index, .failure(error))
        }
    }

/// Calls `body` with a raw buffer of `bytes`, or `nil` when there are none (a null Kafka key).
private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
