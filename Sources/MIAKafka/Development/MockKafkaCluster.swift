import CRdKafka
import Logging

/// The development broker: librdkafka's mock cluster, listening on loopback TCP.
///
/// Separate processes reach it through ``bootstrapServers`` and speak the real Kafka protocol to it.
/// Know its limits (see the README): no CreateTopics, a per-partition size cap that silently drops the
/// oldest records, no transaction isolation, and slow group joins with a long session timeout.
public final class MockKafkaCluster: Sendable {
    /// Kafka API keys whose requests can be made to fail.
    public struct APIKey: Sendable, Hashable {
        public let rawValue: Int16
        public static let produce = APIKey(rawValue: 0)
        public static let fetch = APIKey(rawValue: 1)
        public static let offsetCommit = APIKey(rawValue: 8)
        public static let joinGroup = APIKey(rawValue: 11)
        public static let heartbeat = APIKey(rawValue: 12)
        public static let initProducerId = APIKey(rawValue: 22)
    }

    private let client: RDKafkaClient
    private let clusterAddress: UInt
    /// The number of brokers.
    public let brokerCount: Int
    /// The brokers' addresses, `127.0.0.1:port,...`.
    public let bootstrapServers: String

    private var cluster: OpaquePointer { OpaquePointer(bitPattern: clusterAddress)! }

    /// Starts a mock cluster.
    ///
    /// - Parameter brokers: How many brokers (each on its own random loopback port).
    public init(brokers: Int = 3, logger: Logger) throws(KafkaError) {
        client = try RDKafkaClient(kind: .producer, properties: [:], callbacks: RDKafkaCallbacks(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            throw KafkaError(code: .mockCluster, message: "librdkafka could not start a mock cluster")
        }
        clusterAddress = UInt(bitPattern: cluster)
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Creates a topic (the mock cluster ignores the replication factor).
    public func createTopic(_ name: String, partitions: Int) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), 1)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError.rdKafka(err, context: "creating topic \(name) on the development broker")
        }
    }

    /// Takes a broker down: it refuses connections until ``setBrokerUp(_:)``.
    public func setBrokerDown(_ brokerId: Int32) {
        rd_kafka_mock_broker_set_down(cluster, brokerId)
    }

    /// Brings a broker back up.
    public func setBrokerUp(_ brokerId: Int32) {
        rd_kafka_mock_broker_set_up(cluster, brokerId)
    }

    /// Makes the next requests of one API kind fail, one error code per request, in order.
    public func pushRequestErrors(_ apiKey: APIKey, errors: [Int32]) {
        var codes = errors.map { rd_kafka_resp_err_t(rawValue: $0) }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey.rawValue, codes.count, &codes)
    }

    /// Adds a round-trip delay to every request a broker answers.
    public func setRoundTripTime(broker: Int32, milliseconds: Int32) {
        rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds)
    }
}
