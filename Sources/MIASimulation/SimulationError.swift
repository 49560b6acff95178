/// Why a simulation could not be made or written.
public struct SimulationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong. A struct over a private enum so that new codes are not API breaks.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidConfiguration, writeFailed
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A parameter is out of range.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The output files could not be written.
        public static let writeFailed = Code(.writeFailed)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The source file where the error arose.
    public var file: String
    /// The source line where the error arose.
    public var line: Int

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    public var description: String { "\(code): \(message)" }
}
