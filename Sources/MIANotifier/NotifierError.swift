/// An error of the notifier's set-up: a template folder that does not exist, a template that does not parse, a
/// channel file that is unreadable or asks for something unsafe, or calendar invitations without an organizer.
///
/// Events never cause a `NotifierError`; they are notified, remembered or ignored.
public struct NotifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case templateDirectoryNotFound, templateUnreadable, templateInvalid
            case channelsUnreadable, channelsInvalid, insecureChannel, secretMissing, organizerInvalid
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The template folder given by the operator does not exist or is not a folder.
        public static let templateDirectoryNotFound = Code(.templateDirectoryNotFound)
        /// A template file exists but cannot be read as UTF-8 text.
        public static let templateUnreadable = Code(.templateUnreadable)
        /// A template is not valid Mustache, or renders no subject line.
        public static let templateInvalid = Code(.templateInvalid)
        /// The channel file cannot be read, or is not JSON.
        public static let channelsUnreadable = Code(.channelsUnreadable)
        /// The channel file names an unknown agency, channel or field, or a value is out of range.
        public static let channelsInvalid = Code(.channelsInvalid)
        /// A channel would send in plain text off this machine: `http://` or SMTP to a host other than loopback.
        public static let insecureChannel = Code(.insecureChannel)
        /// A webhook's signing secret is not configured, empty or too short.
        public static let secretMissing = Code(.secretMissing)
        /// Invitations go by e-mail but no calendar organizer is configured, or it is not an address.
        public static let organizerInvalid = Code(.organizerInvalid)

        public var description: String { base.rawValue }
    }

    /// What went wrong.
    public var code: Code
    /// A message for the operator, naming the file, the setting and, for channels, the agency and member concerned.
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

    /// The message: what the operator reads, naming the setting rather than the ``code``.
    public var description: String { message }
}
