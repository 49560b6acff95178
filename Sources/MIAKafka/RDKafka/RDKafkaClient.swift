import CRdKafka
import Logging

/// Owns one `rd_kafka_t` handle and its callback context; destroys both when released.
///
/// `@unchecked Sendable`: librdkafka handles are thread-safe for the calls MIAKafka makes, and the
/// handle pointer itself never changes after creation.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer, consumer

        var rdKafkaType: rd_kafka_type_t {
            switch self {
            case .producer: RD_KAFKA_PRODUCER
            case .consumer: RD_KAFKA_CONSUMER
            }
        }
    }

    let handle: OpaquePointer
    let callbacks: RDKafkaCallbacks
    private let opaque: Unmanaged<RDKafkaCallbacks>

    /// Creates a client.
    ///
    /// - Parameter configure: Extra set-up of the configuration object before the handle is created
    ///   (for example a delivery-report callback).
    init(
        kind: Kind, properties: [String: String], callbacks: RDKafkaCallbacks,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws(KafkaError) {
        let conf = try RDKafkaConfig.make(properties)
        let opaque = Unmanaged.passRetained(callbacks)
        callbacks.install(on: conf, opaque: opaque.toOpaque())
        configure(conf)
        var errorBuffer = RDKafkaErrorText.buffer()
        guard let handle = rd_kafka_new(kind.rdKafkaType, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            opaque.release()
            let reason = RDKafkaErrorText.message(in: errorBuffer)
            throw KafkaError(code: .configuration, message: "cannot create Kafka client: \(reason)")
        }
        self.handle = handle
        self.callbacks = callbacks
        self.opaque = opaque
    }

    deinit {
        rd_kafka_destroy(handle)
        opaque.release()
    }

    /// Topic names and partition counts known to the cluster.
    func metadata(timeout: Duration) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 1, nil, &metadata, timeout.milliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError.rdKafka(err, context: "reading cluster metadata")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        var result: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            result[String(cString: topic.topic)] = Int(topic.partition_cnt)
        }
        return result
    }

    /// Low and high watermark of one partition, asked of the partition leader.
    func watermarks(topic: String, partition: Int32, timeout: Duration) throws(KafkaError) -> (low: Int64, high: Int64)
    {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeout.milliseconds)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(err, context: "reading watermarks of \(topic)[\(partition)]")
        }
        return (low, high)
    }
}

extension Duration {
    /// The duration in whole milliseconds, clamped to `Int32`, as librdkafka timeouts want.
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}
