import MIAContracts
import MIAKafka

/// Turns the topic registry into create requests, for a real cluster or the development broker.
public enum TopicProvisioning {
    /// One create request per registry topic, with its partitions, replication and configs.
    ///
    /// - Parameter replicationFactor: Overrides the registry's replication factor (for example 1 on a
    ///   single-broker cluster).
    public static func newTopics(registry: TopicRegistry, replicationFactor: Int? = nil) -> [NewTopic] {
        registry.topics.map { spec in
            NewTopic(
                name: spec.name, partitions: spec.partitions,
                replicationFactor: replicationFactor ?? spec.replicationFactor, configs: spec.configs)
        }
    }
}
