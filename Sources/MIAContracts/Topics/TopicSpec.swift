/// The declaration of one Kafka topic: its name, partition count, replication, configuration and keying.
///
/// ``TopicRegistry`` holds every topic MIAFlow uses; nothing else spells a topic name.
public struct TopicSpec: Sendable, Hashable, Codable {
    /// The topic name, for example `mia.referral.v1`.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor used when the topic is created on a real cluster.
    public var replicationFactor: Int
    /// Topic-level configuration entries, for example `cleanup.policy=compact`.
    public var configs: [String: String]
    /// What the Kafka key of every record on this topic is.
    public var key: TopicKey
    /// A one-line description of what flows on the topic.
    public var summary: String

    public init(
        name: String,
        partitions: Int,
        replicationFactor: Int = 3,
        configs: [String: String] = [:],
        key: TopicKey,
        summary: String
    ) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
        self.key = key
        self.summary = summary
    }

    /// Whether the topic is log-compacted (keeps the latest record per key).
    public var isCompacted: Bool {
        configs["cleanup.policy"]?.split(separator: ",").contains("compact") ?? false
    }
}

/// What a topic's records are keyed by; decides partitioning and, for compacted topics, what is kept.
public struct TopicKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The machine name of the key, for example `participantRef`.
    public var name: String
    /// How the key is formed, for documentation.
    public var summary: String

    public init(name: String, summary: String) {
        self.name = name
        self.summary = summary
    }

    public var description: String { name }

    /// The pseudonymous participant reference (keyed HMAC). Co-partitions all participant-scoped topics.
    public static let participantRef = TopicKey(
        name: "participantRef", summary: "pseudonymous participant reference (keyed HMAC-SHA256)")
    /// The staff member's opaque id.
    public static let staffId = TopicKey(name: "staffId", summary: "opaque staff id of the calendar owner")
    /// The ASF id and activity, joined by `/`.
    public static let asfActivity = TopicKey(
        name: "asfActivity", summary: "ASF id and activity, as `<asfId>/<activity>`")

    /// The key of an ASF activity's records: `<asfId>/<activity>`.
    public static func asfActivity(asfId: String, activity: String) -> String { "\(asfId)/\(activity)" }
    /// The ASF id.
    public static let asfId = TopicKey(name: "asfId", summary: "ASF id")
    /// The handläggare's opaque id.
    public static let handlaggareId = TopicKey(name: "handlaggareId", summary: "opaque handläggare id of the recipient")
    /// The statistics cell: period, delprojekt and breakdown.
    public static let statisticsCell = TopicKey(
        name: "statisticsCell", summary: "period/delprojekt/gender/insatsType/indicator of the statistics cell")
    /// The key of the original record, kept unchanged on dead letters.
    public static let original = TopicKey(
        name: "original", summary: "the dead-lettered record's original key, unchanged")
}
