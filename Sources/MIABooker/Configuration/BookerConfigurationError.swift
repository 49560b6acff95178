/// A booker configuration file that cannot be read or breaks a rule.
public struct BookerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
