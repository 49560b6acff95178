import Foundation

/// Splits an agency input into records as its bytes arrive, block by block: NDJSON (one record per non-blank
/// line, numbered by line) or, when the first non-blank byte is `[`, the elements of a JSON array (numbered
/// from 1). A record's bytes are not parsed here: ``InputRecordPreparer`` reports a bad one with its position.
///
/// It holds only the record being read, so a file of any size is split in constant memory.
public struct InputRecordSplitter: Sendable {
    private enum Form {
        case undecided, lines, array
    }

    private var form = Form.undecided
    /// The bytes of the record not yet complete.
    private var pending: [UInt8] = []
    /// Lines seen (NDJSON) or elements completed (array).
    private var counted = 0

    // The JSON array scanner's state.
    private var opened = false
    private var closed = false
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Whether the element being read follows a comma (so that `[1,]` is malformed).
    private var afterComma = false

    public init() {}

    /// Whether the input is a JSON array (its records are then numbered as elements, not lines).
    public var isJSONArray: Bool { form == .array }

    /// The records completed by `bytes`.
    /// - Throws: ``ContractViolation/Code/malformedJSON`` when a JSON array's structure is broken.
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ContractViolation) -> [InputRecord] {
        var records: [InputRecord] = []
        for byte in bytes {
            if form == .undecided {
                if Self.isBlank(byte) {
                    if byte == UInt8(ascii: "\n") { counted += 1 }
                    continue
                }
                form = byte == UInt8(ascii: "[") ? .array : .lines
                // Elements are numbered from 1 whatever blank lines came first.
                if form == .array { counted = 0 }
            }
            switch form {
            case .lines: line(byte, into: &records)
            case .array: try element(byte, into: &records)
            case .undecided: break
            }
        }
        return records
    }

    /// The last record, once the input has ended.
    /// - Throws: ``ContractViolation/Code/malformedJSON`` when a JSON array is not closed.
    public mutating func finish() throws(ContractViolation) -> [InputRecord] {
        switch form {
        case .undecided:
            return []
        case .lines:
            defer { pending = [] }
            guard !pending.allSatisfy(Self.isBlank) else { return [] }
            counted += 1
            return [InputRecord(lineNumber: counted, bytes: Data(Self.trimmingCarriageReturn(pending)))]
        case .array:
            guard closed else { throw Self.malformed }
            return []
        }
    }

    private mutating func line(_ byte: UInt8, into records: inout [InputRecord]) {
        guard byte == UInt8(ascii: "\n") else {
            pending.append(byte)
            return
        }
        counted += 1
        if !pending.allSatisfy(Self.isBlank) {
            records.append(InputRecord(lineNumber: counted, bytes: Data(Self.trimmingCarriageReturn(pending))))
        }
        pending.removeAll(keepingCapacity: true)
    }

    private mutating func element(_ byte: UInt8, into records: inout [InputRecord]) throws(ContractViolation) {
        if closed {
            guard Self.isBlank(byte) else { throw Self.malformed }
            return
        }
        if !opened {
            // The first non-blank byte, `[`.
            opened = true
            return
        }
        if inString {
            pending.append(byte)
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                inString = false
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
            pending.append(byte)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            depth += 1
            pending.append(byte)
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","):
            guard depth == 0 else {
                if byte != UInt8(ascii: ",") { depth -= 1 }
                pending.append(byte)
                return
            }
            // At the array's own level: a comma ends an element, a bracket the array; a brace is out of place.
            guard byte != UInt8(ascii: "}") else { throw Self.malformed }
            let isEmpty = pending.allSatisfy(Self.isBlank)
            if byte == UInt8(ascii: "]") {
                // `[]` is empty; `[1,]` is not JSON.
                guard !isEmpty || (!afterComma && counted == 0) else { throw Self.malformed }
                closed = true
            } else {
                guard !isEmpty else { throw Self.malformed }
            }
            if !isEmpty {
                counted += 1
                records.append(InputRecord(lineNumber: counted, bytes: Data(Self.trimmed(pending))))
            }
            pending.removeAll(keepingCapacity: true)
            afterComma = byte == UInt8(ascii: ",")
        default:
            if !(pending.isEmpty && Self.isBlank(byte)) { pending.append(byte) }
        }
    }

    private static let malformed = ContractViolation(.malformedJSON, field: nil, "the file is not a valid JSON array")

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
            || byte == UInt8(ascii: "\r")
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        let end = bytes.lastIndex { !isBlank($0) }.map { $0 + 1 } ?? 0
        let start = bytes.firstIndex { !isBlank($0) } ?? end
        return bytes[start..<end]
    }

    private static func trimmingCarriageReturn(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.last == UInt8(ascii: "\r") ? bytes.dropLast() : bytes[...]
    }
}
