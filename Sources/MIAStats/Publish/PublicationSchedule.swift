/// When the ``StatisticsPublisher`` recomputes: once the facts have been quiet for one check interval, or at the
/// latest ``maxDelay`` after the first unpublished change, so that a replay of a million events publishes every
/// cell a few times rather than once per interval (the development broker keeps only about 5 MiB per partition).
///
/// A value-type state machine without I/O or clocks of its own: the publisher feeds it the facts' revision and
/// the time at every check.
struct PublicationSchedule: Sendable {
    var maxDelay: Duration
    /// The revision last published, by this process or (see ``observe(published:)``) another; `nil` before any.
    private(set) var published: Int64?
    /// The revision seen at the previous check.
    private var lastSeen: Int64?
    /// When the first unpublished change was seen.
    private var pendingSince: ContinuousClock.Instant?

    init(maxDelay: Duration) {
        self.maxDelay = maxDelay
    }

    /// Whether to recompute now, given the facts' revision at this check.
    mutating func shouldPublish(revision: Int64, at now: ContinuousClock.Instant) -> Bool {
        defer { lastSeen = revision }
        guard revision != published else {
            pendingSince = nil
            return false
        }
        let since = pendingSince ?? now
        pendingSince = since
        return revision == lastSeen || now - since >= maxDelay
    }

    /// Takes note of the revision last published by any replica sharing the store (read from the store at every
    /// check): what another replica published is not published again.
    mutating func observe(published revision: Int64) {
        if revision > (published ?? .min) { published = revision }
    }

    /// Records a publication of `revision`.
    mutating func didPublish(revision: Int64) {
        published = revision
        pendingSince = nil
    }
}
