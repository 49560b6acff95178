/// How the ``StatisticsPublisher`` publishes.
public struct StatisticsPublisherConfiguration: Sendable, Hashable {
    /// The smallest count published: counts from 1 to `threshold − 1` are suppressed (default 5, so 1-4).
    public var threshold: Int = 5
    /// The longest time between a fact change and its publication; changes within one interval are published
    /// once (the development broker keeps no more than about 5 MiB per partition).
    public var interval: Duration = .seconds(5)

    /// Creates the default configuration.
    public init() {}
}
