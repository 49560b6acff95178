import ArgumentParser
import Foundation

/// What `mia publish` reads: the whole of a file or of standard input, with a name for its reports.
struct PublishInput {
    /// The name used in reports: the file's path, or `stdin`.
    var name: String
    /// The bytes read.
    var contents: Data

    /// Whether the input is a JSON array rather than NDJSON, so that positions are element numbers rather
    /// than line numbers. The same test ``MIAContracts/InputRecordReader`` applies: the first non-blank byte.
    var isJSONArray: Bool {
        contents.first { !Self.blankBytes.contains($0) } == UInt8(ascii: "[")
    }

    /// The word for a record's position in reports: `line` (NDJSON) or `element` (JSON array).
    var positionLabel: String { isJSONArray ? "element" : "line" }

    private static let blankBytes: Set<UInt8> = [
        UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
    ]

    /// Reads a file, or standard input when `path` is `nil` or `-` (saying so when that is a terminal).
    /// - Throws: `ValidationError` naming the file when it cannot be read.
    static func read(_ path: String?) throws -> PublishInput {
        guard let path, path != "-" else {
            if isatty(STDIN_FILENO) == 1 {
                StandardError.write("reading records from standard input; end with Ctrl-D\n")
            }
            return PublishInput(name: "stdin", contents: FileHandle.standardInput.readDataToEndOfFile())
        }
        do {
            return PublishInput(name: path, contents: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ValidationError("cannot read \(path): \(error.localizedDescription)")
        }
    }
}
