import MIAContracts

/// One activity at one ASF: the unit whose training places are declared, occupied and waited for.
public struct AsfActivity: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The ASF's id; contains no `/`.
    public var asfId: String
    /// The activity at the ASF, for example a café or a workshop.
    public var activity: String

    /// Creates a key from its parts.
    public init(asfId: String, activity: String) {
        self.asfId = asfId
        self.activity = activity
    }

    /// `<asfId>/<activity>`: the Kafka key of declarations and status snapshots.
    public var description: String { TopicKey.asfActivity(asfId: asfId, activity: activity) }

    public static func < (lhs: AsfActivity, rhs: AsfActivity) -> Bool {
        (lhs.asfId, lhs.activity) < (rhs.asfId, rhs.activity)
    }
}
