/// A failure of the store, classified for the runtime's retry policy.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether retrying later may succeed (database busy or locked, connection lost).
    public var isTransient: Bool
    public var message: String
    /// Whether the connection to the database may be gone (a lost session, a server shutting down, a statement
    /// unanswered): such a connection is not used again.
    public var isConnectionLost: Bool

    public init(isTransient: Bool, message: String, isConnectionLost: Bool = false) {
        self.isTransient = isTransient
        self.message = message
        self.isConnectionLost = isConnectionLost
    }

    public var description: String { (isTransient ? "transient store error: " : "store error: ") + message }
}
