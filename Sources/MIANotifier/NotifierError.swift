/// An error of the notifier's set-up: a template folder that does not exist or a template that does not parse.
///
/// Events never cause a `NotifierError`; they are notified, remembered or ignored.
public struct NotifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case templateDirectoryNotFound, templateUnreadable, templateInvalid
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The template folder given by the operator does not exist or is not a folder.
        public static let templateDirectoryNotFound = Code(.templateDirectoryNotFound)
        /// A template file exists but cannot be read as UTF-8 text.
        public static let templateUnreadable = Code(.templateUnreadable)
        /// A template is not valid Mustache, or renders no subject line.
        public static let templateInvalid = Code(.templateInvalid)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A message for the operator, naming the file concerned.
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
