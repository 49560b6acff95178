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

/// Splits an agency input file into records: NDJSON (one object per line, blank lines skipped) or,
/// when the first non-blank character is `[`, a JSON array of objects.
public enum InputRecordReader {
    /// The records of a file.
    /// - Parameter contents: The file contents.
    /// - Throws: ``ContractViolation/Code/malformedJSON`` when a JSON array cannot be parsed. Lines of an
    ///   NDJSON file are not parsed here; ``InputRecordPreparer`` reports each bad line.
    public static func records(from contents: Data) throws(ContractViolation) -> [InputRecord] {
        let firstSignificant = contents.first { !Self.isBlank($0) }
        if firstSignificant == UInt8(ascii: "[") {
            guard case .array(let elements)? = try? EventDecoder.jsonDecoder().decode(JSONValue.self, from: contents)
            else {
                throw ContractViolation(.malformedJSON, field: nil, "the file is not a valid JSON array")
            }
            return elements.enumerated().map { index, element in
                InputRecord(lineNumber: index + 1, bytes: Data(element.serialized))
            }
        }
        return contents.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .enumerated()
            .filter { !$0.element.allSatisfy(Self.isBlank) }
            .map { InputRecord(lineNumber: $0.offset + 1, bytes: Data($0.element)) }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }
}
