/// A request to create one topic.
public struct NewTopic: Sendable, Hashable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    /// Topic configuration entries, for example `cleanup.policy=compact`.
    public var configs: [String: String]

    public init(name: String, partitions: Int, replicationFactor: Int, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// What happened to one topic of a create request.
public struct TopicCreationResult: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        case created
        case alreadyExists
        case failed(String)
    }

    public var name: String
    public var status: Status
}
