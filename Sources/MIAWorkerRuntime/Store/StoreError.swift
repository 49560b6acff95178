/// A failure of the store, classified for the runtime's retry policy.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether retrying later may succeed (database busy or locked, connection lost).
    public var isTransient: Bool
    public var message: String

    public init(isTransient: Bool, message: String) {
        self.isTransient = isTransient
        self.message = message
    }

    public var description: String { (isTransient ? "transient store error: " : "store error: ") + message }
}
