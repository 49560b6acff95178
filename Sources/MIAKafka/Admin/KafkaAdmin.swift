import CRdKafka
import Dispatch
import Logging

/// Cluster administration: create and list topics, read watermarks.
///
/// - Note: The development broker (librdkafka's mock cluster) does not implement CreateTopics; create topics
///   there with ``MockKafkaCluster/createTopic(_:partitions:)``.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient

    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        client = try RDKafkaClient(
            kind: .producer, properties: configuration.resolved(defaults: [:]),
            callbacks: RDKafkaCallbacks(logger: logger))
    }

    /// Creates topics; a topic that already exists is reported as such, not as a failure.
    ///
    /// - Throws: ``KafkaError/Code/admin`` for an invalid request, ``KafkaError/Code/timeout`` when the
    ///   cluster does not answer in time.
    public func createTopics(_ topics: [NewTopic], timeout: Duration = .seconds(30)) async throws(KafkaError)
        -> [TopicCreationResult]
    {
        guard !topics.isEmpty else { return [] }
        var requests: [OpaquePointer?] = []
        defer { requests.forEach { rd_kafka_NewTopic_destroy($0) } }
        for topic in topics { requests.append(try topic.makeRDKafkaNewTopic()) }

        let client = self.client
        let queue = rd_kafka_queue_new(client.handle)!
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errorBuffer = RDKafkaErrorText.buffer()
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.milliseconds, &errorBuffer, errorBuffer.count)
        rd_kafka_CreateTopics(client.handle, &requests, requests.count, options, queue)

        let result: Result<[TopicCreationResult], KafkaError> = await withCheckedContinuation { continuation in
            let queueAddress = UInt(bitPattern: queue)
            DispatchQueue.global().async {
                let queue = OpaquePointer(bitPattern: queueAddress)
                continuation.resume(returning: Self.awaitCreateTopics(queue: queue, timeout: timeout))
            }
        }
        return try result.get()
    }

    /// Topic names and their partition counts.
    public func listTopics(timeout: Duration = .seconds(10)) throws(KafkaError) -> [String: Int] {
        try client.metadata(timeout: timeout)
    }

    /// Low and high watermark of a partition.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) throws(KafkaError)
        -> (low: Int64, high: Int64)
    {
        try client.watermarks(topic: topic, partition: partition, timeout: timeout)
    }

    private static func awaitCreateTopics(queue: OpaquePointer?, timeout: Duration) -> Result<
        [TopicCreationResult], KafkaError
    > {
        // Wait a little longer than the request timeout so that librdkafka reports its own timeout.
        guard let event = rd_kafka_queue_poll(queue, timeout.milliseconds + 5000) else {
            return .failure(KafkaError(code: .timeout, message: "no answer to CreateTopics"))
        }
        defer { rd_kafka_event_destroy(event) }
        let err = rd_kafka_event_error(event)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            return .failure(KafkaError(code: .admin, message: "CreateTopics: \(text)", rdKafkaCode: err.rawValue))
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            return .failure(KafkaError(code: .admin, message: "CreateTopics: unexpected event"))
        }
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(result, &count) else { return .success([]) }
        return .success(
            (0..<count).map { index in
                let topic = topics[index]
                let name = String(cString: rd_kafka_topic_result_name(topic))
                let err = rd_kafka_topic_result_error(topic)
                switch err {
                case RD_KAFKA_RESP_ERR_NO_ERROR:
                    return TopicCreationResult(name: name, status: .created)
                case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
                    return TopicCreationResult(name: name, status: .alreadyExists)
                default:
                    let text =
                        rd_kafka_topic_result_error_string(topic).map { String(cString: $0) }
                        ?? String(cString: rd_kafka_err2str(err))
                    return TopicCreationResult(name: name, status: .failed(text))
                }
            })
    }
}
