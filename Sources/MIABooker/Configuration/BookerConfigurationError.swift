/// A booker configuration file that cannot be read or breaks a rule.
public struct BookerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, naming the file or field.
    public var message: String

    /// Creates an error with its message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
