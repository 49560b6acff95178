/// Settings of a ``KafkaConsumer``.
public struct KafkaConsumerConfiguration: Sendable, Hashable {
    /// Connection and pass-through librdkafka properties.
    public var kafka: KafkaConfiguration
    /// The consumer group; MIAFlow's workers use their own name.
    public var groupId: String
    /// The topics to subscribe to.
    public var topics: [String]
    /// How long the group coordinator waits for a silent member before it rebalances.
    ///
    /// The development broker makes a joining member wait this long minus one second, so keep it short there.
    public var sessionTimeout: Duration = .seconds(10)
    /// How often stored offsets are committed in the background (they are also committed on revoke and close).
    public var autoCommitInterval: Duration = .seconds(1)
    /// The longest a fetch waits for data at the broker. Lower it for low latency on the development broker.
    public var fetchWaitMax: Duration = .milliseconds(100)
    /// The partition assignor. Every member of a group must use the same one; `range` keeps co-partitioned
    /// topics' partition *n* on the same member.
    public var assignmentStrategy: String = "range"
    /// The most pre-fetched record data librdkafka holds in memory (`queued.max.messages.kbytes`; librdkafka's own
    /// default is 64 MiB). A worker handles a batch of a few hundred records at a time, so a few seconds of work
    /// ahead is enough, and the rest is memory a replica does not need.
    public var prefetchLimitKilobytes = 16_384
    /// How often librdkafka emits statistics (consumer lag among them) to ``KafkaConsumer/events``.
    public var statisticsInterval: Duration?

    public init(kafka: KafkaConfiguration, groupId: String, topics: [String]) {
        self.kafka = kafka
        self.groupId = groupId
        self.topics = topics
    }

    /// The librdkafka properties for at-least-once consumption: offsets are stored only by
    /// ``KafkaConsumer/storeOffsets(_:)`` after processing, and committed from there.
    var properties: [String: String] {
        var defaults = [
            "group.id": groupId,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": "true",
            "enable.auto.offset.store": "false",
            "auto.commit.interval.ms": "\(autoCommitInterval.milliseconds)",
            "session.timeout.ms": "\(sessionTimeout.milliseconds)",
            "heartbeat.interval.ms": "\(max(sessionTimeout.milliseconds / 5, 100))",
            "fetch.wait.max.ms": "\(fetchWaitMax.milliseconds)",
            "partition.assignment.strategy": assignmentStrategy,
            "enable.partition.eof": "false",
            "queued.max.messages.kbytes": "\(prefetchLimitKilobytes)",
        ]
        if let statisticsInterval {
            defaults["statistics.interval.ms"] = "\(statisticsInterval.milliseconds)"
        }
        return kafka.resolved(defaults: defaults)
    }
}
