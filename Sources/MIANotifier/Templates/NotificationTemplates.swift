import Foundation
import MIAContracts
import Mustache

/// One Mustache template per ``NotificationKind``: the first line it renders is the subject, the rest the body.
///
/// Templates render plain text (no HTML escaping). Load an operator's folder with ``init(directory:)``; kinds
/// without a file there use the built-in copy of the shipped template (``builtIn``).
public struct NotificationTemplates: Sendable {
    /// The shipped templates, compiled into the module.
    public static let builtIn: NotificationTemplates = {
        do {
            return try NotificationTemplates(sources: BuiltInTemplates.sources.mapValues { ($0, "built-in") })
        } catch {
            preconditionFailure("the built-in notification templates must parse: \(error)")
        }
    }()

    private var templates: [NotificationKind: MustacheTemplate]
    /// Where each kind's template came from: a file path, or `built-in`.
    public private(set) var origins: [NotificationKind: String]

    /// Loads `<kind>.mustache` from a folder for each kind, and the built-in template for a kind without a file.
    /// - Parameter directory: The folder.
    /// - Throws: ``NotifierError`` when the folder does not exist, or a file is unreadable or not valid Mustache.
    public init(directory: String) throws(NotifierError) {
        guard Self.isDirectory(directory) else {
            throw NotifierError(.templateDirectoryNotFound, "no template folder at \(directory)")
        }
        var sources = BuiltInTemplates.sources.mapValues { ($0, "built-in") }
        for kind in NotificationKind.allCases {
            let path = URL(fileURLWithPath: directory).appendingPathComponent("\(kind.rawValue).mustache").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else { throw NotifierError(.templateUnreadable, "cannot read \(path) as UTF-8 text") }
            sources[kind] = (text, path)
        }
        try self.init(sources: sources)
    }

    private init(sources: [NotificationKind: (text: String, origin: String)]) throws(NotifierError) {
        templates = [:]
        origins = [:]
        for (kind, source) in sources {
            guard let firstLine = source.text.split(separator: "\n", omittingEmptySubsequences: false).first,
                !firstLine.allSatisfy(\.isWhitespace)
            else { throw NotifierError(.templateInvalid, "\(source.origin): the first line, the subject, is empty") }
            do {
                templates[kind] = try MustacheTemplate(string: Self.plainText + source.text)
            } catch let error as MustacheTemplate.ParserError {
                // The pragma takes the first line, so the file's line numbers are one lower.
                let position = "line \(error.context.lineNumber - 1), column \(error.context.columnNumber)"
                throw NotifierError(.templateInvalid, "\(source.origin), \(position): \(error.error)")
            } catch {
                throw NotifierError(.templateInvalid, "\(source.origin): \(error)")
            }
            origins[kind] = source.origin
        }
    }

    /// Renders the template of a kind.
    /// - Parameters:
    ///   - kind: The kind of notification.
    ///   - values: The template's variables.
    /// - Returns: The first rendered line as the subject, the rest as the body, with trailing spaces and repeated
    ///   blank lines removed.
    func render(_ kind: NotificationKind, values: [String: String]) -> (subject: String, body: String) {
        let text = templates[kind]?.render(values) ?? ""
        // Lines split on the UTF-8 bytes and trailing whitespace cut scalar by scalar from the end: the
        // Character-wise split and trim cost a third of rendering a notification.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            var scalars = Substring(bytes).unicodeScalars
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            return String(scalars)
        }
        let subject = lines.isEmpty ? "" : lines.removeFirst().trimmingCharacters(in: .whitespaces)
        var body: [String] = []
        for line in lines where !(line.isEmpty && (body.last?.isEmpty ?? true)) {
            body.append(line)
        }
        if body.last?.isEmpty == true { body.removeLast() }
        return (subject, body.joined(separator: "\n"))
    }

    /// Whether a folder exists at `path`.
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The pragma that turns off HTML escaping; a standalone tag, so it adds no line to the output.
    private static let plainText = "{{% CONTENT_TYPE: TEXT}}\n"
}
