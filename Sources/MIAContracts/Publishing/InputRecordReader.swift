import Foundation

/// One record of an agency input file, with its position for error reports.
public struct InputRecord: Sendable, Hashable {
    /// The 1-based line number (NDJSON) or element number (JSON array).
    public var lineNumber: Int
    /// The record's JSON bytes.
    public var bytes: Data

    /// Creates a record.
    public init(lineNumber: Int, bytes: Data) {
        self.lineNumber = lineNumber
        self.bytes = bytes
    }
}

/// Splits a whole agency input file into records: NDJSON (one object per line, blank lines skipped) or,
/// when the first non-blank character is `[`, a JSON array of objects. ``InputRecordSplitter`` does it block by
/// block, for inputs read as they come.
public enum InputRecordReader {
    /// The records of a file.
    /// - Parameter contents: The file contents.
    /// - Throws: ``ContractViolation/Code/malformedJSON`` when a JSON array's structure is broken. Lines of an
    ///   NDJSON file and array elements are not parsed here; ``InputRecordPreparer`` reports each bad one.
    public static func records(from contents: Data) throws(ContractViolation) -> [InputRecord] {
        var splitter = InputRecordSplitter()
        return try splitter.feed(contents) + splitter.finish()
    }
}
