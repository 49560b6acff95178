/// Why ``WebhookSignature/verify(body:timestamp:signature:secret:now:tolerance:)`` rejected a request.
public struct WebhookVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, as a stable code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case missingHeader, malformed, expired, mismatch
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// `X-MIA-Timestamp` or `X-MIA-Signature` is missing.
        public static let missingHeader = Code(.missingHeader)
        /// A header is not in the expected form.
        public static let malformed = Code(.malformed)
        /// The timestamp is outside the tolerance: a replayed request, or clocks far apart.
        public static let expired = Code(.expired)
        /// The signature does not match: a forged or altered request, or another secret.
        public static let mismatch = Code(.mismatch)

        public var description: String { base.rawValue }
    }

    /// What is wrong.
    public var code: Code
    /// A message for the receiver's log.
    public var message: String
    /// The source file where the error arose.
    public var file: String
    /// The source line where the error arose.
    public var line: Int

    /// Creates an error at the caller's position.
    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(message)" }
}
