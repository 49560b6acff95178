/// How the ``StatisticsPublisher`` publishes.
public struct StatisticsPublisherConfiguration: Sendable, Hashable {
    /// The smallest count published: counts from 1 to `threshold − 1` are suppressed (default 5, so 1-4).
    public var threshold: Int = 5
    /// How often the publisher checks the facts; it publishes once they have been quiet for one interval, so
    /// changes within one interval are published once (the development broker keeps about 5 MiB per partition).
    public var interval: Duration = .seconds(5)
    /// The longest a change waits while the facts keep changing (a replay, a busy day): the publisher waits for
    /// one quiet interval, but no longer than this.
    public var maxDelay: Duration = .seconds(60)

    /// Creates the default configuration.
    public init() {}
}
