/// Settings of a ``KafkaProducer``.
public struct KafkaProducerConfiguration: Sendable, Hashable {
    /// Connection and pass-through librdkafka properties.
    public var kafka: KafkaConfiguration
    /// The compression codec, `lz4` by default (`zstd`, `gzip`, `snappy` or `none` also work).
    public var compression: String = "lz4"
    /// How long a message may wait for delivery before it fails with ``KafkaError/Code/messageTimedOut``.
    public var deliveryTimeout: Duration = .seconds(120)
    /// How long the producer may wait to fill a batch.
    public var linger: Duration = .milliseconds(5)
    /// How often librdkafka emits statistics to ``KafkaProducer/statistics``; `nil` for never.
    public var statisticsInterval: Duration?

    public init(kafka: KafkaConfiguration) {
        self.kafka = kafka
    }

    /// The librdkafka properties: idempotent, `acks=all`, compressed; ``KafkaConfiguration/properties`` win.
    var properties: [String: String] {
        var defaults = [
            "enable.idempotence": "true",
            "acks": "all",
            "compression.type": compression,
            "message.timeout.ms": "\(deliveryTimeout.milliseconds)",
            "linger.ms": "\(linger.milliseconds)",
            "queue.buffering.max.messages": "500000",
        ]
        if let statisticsInterval {
            defaults["statistics.interval.ms"] = "\(statisticsInterval.milliseconds)"
        }
        return kafka.resolved(defaults: defaults)
    }
}
