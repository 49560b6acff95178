/// A failure of a test fixture, with what was being waited for or checked and the output that explains it.
public struct TestKitError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
