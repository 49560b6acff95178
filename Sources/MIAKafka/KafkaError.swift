/// An error from the Kafka layer: a typed code, librdkafka's own error code where there is one,
/// a message, and where in MIAKafka it arose.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is. Open-ended: new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: String, Sendable, Hashable {
            case configuration, messageTimedOut, queueFull, transport, unknownTopic, messageTooLarge, invalidRecord
            case delivery, consumer, admin, timeout, closed, mockCluster, fatal, unauthorized
        }
        private let backing: Backing
        private init(_ backing: Backing) { self.backing = backing }

        /// A property was rejected by librdkafka, or a client could not be created.
        public static let configuration = Code(.configuration)
        /// A message was not delivered within `message.timeout.ms`.
        public static let messageTimedOut = Code(.messageTimedOut)
        /// The producer's local queue is full.
        public static let queueFull = Code(.queueFull)
        /// The brokers could not be reached.
        public static let transport = Code(.transport)
        /// The topic or partition does not exist.
        public static let unknownTopic = Code(.unknownTopic)
        /// The message is larger than the broker or client accepts.
        public static let messageTooLarge = Code(.messageTooLarge)
        /// The broker refused the record as invalid (corrupt, bad timestamp, a batch it will not take).
        public static let invalidRecord = Code(.invalidRecord)
        /// Another delivery failure reported by the broker.
        public static let delivery = Code(.delivery)
        /// A consumer operation failed (subscribe, commit, offsets).
        public static let consumer = Code(.consumer)
        /// An admin operation failed.
        public static let admin = Code(.admin)
        /// An operation did not complete in time.
        public static let timeout = Code(.timeout)
        /// The client was already closed.
        public static let closed = Code(.closed)
        /// The development broker could not be started or changed.
        public static let mockCluster = Code(.mockCluster)
        /// librdkafka raised a fatal error (an idempotent producer that cannot guarantee order and no
        /// duplicates any more): the client is unusable.
        public static let fatal = Code(.fatal)
        /// The cluster refused the client's credentials, or its rights to a topic, group or the cluster.
        public static let unauthorized = Code(.unauthorized)

        public var description: String { backing.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// librdkafka's `rd_kafka_resp_err_t` value, when the failure came from librdkafka.
    public var rdKafkaCode: Int32?
    /// A human-readable explanation.
    public var message: String
    /// Whether retrying the same operation later may succeed.
    public var isRetriable: Bool
    /// Where the error was raised.
    public var file: String
    public var line: Int

    public init(
        code: Code, message: String, rdKafkaCode: Int32? = nil, isRetriable: Bool = false,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.rdKafkaCode = rdKafkaCode
        self.isRetriable = isRetriable
        self.file = file
        self.line = line
    }

    public var description: String {
        "KafkaError.\(code): \(message)"
    }

    /// Whether the client cannot go on: a fatal librdkafka error, or failed authentication or authorisation,
    /// which no retry fixes (a restart with other credentials or rights may).
    public var isFatal: Bool { code == .fatal || code == .unauthorized }

    /// Whether the broker or the client refused this one record for good: too large, invalid, or for a topic or
    /// partition that does not exist. Sending it again fails the same way, and other records are not affected.
    public var refusesRecord: Bool {
        !isRetriable && (code == .messageTooLarge || code == .unknownTopic || code == .invalidRecord)
    }
}
