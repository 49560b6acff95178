/// Thrown by a handler for an event that cannot be applied yet but may be soon, for example an anvisning to an
/// ASF whose capacity declaration is still in flight on another topic.
///
/// The runtime undoes the batch, pauses its partitions and retries with backoff, keeping the order per key; after
/// `--max-attempts` the event goes to the dead-letter topic with this error class and reason.
public struct RetryLater: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dead-letter error class should the retries run out: `validation` or `handler`.
    public var errorClass: String
    public var reason: String

    /// A reference the event needs is not known yet; a validation error if it never arrives.
    public init(validation reason: String) {
        errorClass = "validation"
        self.reason = reason
    }

    public var description: String { reason }
}
