/// A record to produce: topic, optional key, value, headers and optional partition.
public struct KafkaProducerMessage: Sendable, Hashable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Produce a null value (a tombstone) rather than ``value``, which is then ignored.
    public var isTombstone: Bool
    public var headers: [KafkaHeader]
    /// An explicit partition, or `nil` to let the partitioner hash the key.
    public var partition: Int32?

    public init(
        topic: String, key: [UInt8]? = nil, value: [UInt8], headers: [KafkaHeader] = [], partition: Int32? = nil,
        isTombstone: Bool = false
    ) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
        self.isTombstone = isTombstone
    }

    /// A record whose key is the UTF-8 bytes of `key`.
    public init(topic: String, key: String, value: [UInt8], headers: [KafkaHeader] = []) {
        self.init(topic: topic, key: Array(key.utf8), value: value, headers: headers)
    }
}

/// Where a produced record was written.
public struct DeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}
