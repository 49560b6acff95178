/// Something that happened to a ``KafkaConsumer`` besides records arriving.
public enum KafkaConsumerEvent: Sendable, Hashable {
    /// Partitions were assigned to this member.
    case assigned([TopicPartition])
    /// Partitions were taken away; their stored offsets were committed first.
    case revoked([TopicPartition])
    /// librdkafka's statistics JSON (see its STATISTICS.md), emitted every `statisticsInterval`.
    case statistics(String)
}
