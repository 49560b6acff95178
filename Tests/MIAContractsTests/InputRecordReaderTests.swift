import Foundation
import MIAContracts
import Testing

@Suite("Reading agency input files")
struct InputRecordReaderTests {
    @Test("NDJSON: one record per non-blank line, numbered by line")
    func ndjson() throws {
        let file = "{\"a\": 1}\n\n{\"b\": 2}\r\n   \n{broken\n"
        let records = try InputRecordReader.records(from: Data(file.utf8))
        #expect(records.map(\.lineNumber) == [1, 3, 5])
        #expect(String(decoding: records[2].bytes, as: UTF8.self) == "{broken")
    }

    @Test("JSON array: one record per element, numbered from 1")
    func array() throws {
        let records = try InputRecordReader.records(from: Data("  [ {\"a\": 1}, {\"b\": [true, null]} ]".utf8))
        #expect(records.map(\.lineNumber) == [1, 2])
        #expect(String(decoding: records[1].bytes, as: UTF8.self) == #"{"b": [true, null]}"#)
    }

    @Test("A JSON array split at every byte gives the same records; strings may hold brackets and commas")
    func arrayInPieces() throws {
        let text = "\n [ {\"a\": \"],[\\\"{\"}, 2 , [3, {}] ,\"x\"]  \n"
        let whole = try InputRecordReader.records(from: Data(text.utf8))
        #expect(
            whole.map { String(decoding: $0.bytes, as: UTF8.self) } == [#"{"a": "],[\"{"}"#, "2", "[3, {}]", #""x""#])
        var splitter = InputRecordSplitter()
        var pieces: [InputRecord] = []
        for byte in text.utf8 { pieces += try splitter.feed([byte]) }
        pieces += try splitter.finish()
        #expect(pieces == whole)
    }

    @Test("NDJSON split at every byte gives the same records and line numbers")
    func linesInPieces() throws {
        let text = "\n{\"a\": 1}\r\n\n  \n{\"b\": \"[\"}\n{\"c\": 3}"
        let whole = try InputRecordReader.records(from: Data(text.utf8))
        #expect(whole.map(\.lineNumber) == [2, 5, 6])
        var splitter = InputRecordSplitter()
        var pieces: [InputRecord] = []
        for byte in text.utf8 { pieces += try splitter.feed([byte]) }
        pieces += try splitter.finish()
        #expect(pieces == whole)
    }

    @Test(
        "Broken arrays: a trailing comma, text after the array, a stray brace",
        arguments: ["[1,]", "[1] 2", "[}]", "[,1]"])
    func brokenArrays(_ text: String) {
        #expect(throws: ContractViolation.self) { try InputRecordReader.records(from: Data(text.utf8)) }
    }

    @Test("a broken JSON array is malformed")
    func brokenArray() {
        let violation = #expect(throws: ContractViolation.self) {
            try InputRecordReader.records(from: Data("[{\"a\": 1},".utf8))
        }
        #expect(violation?.code == .malformedJSON)
    }

    @Test("an empty file has no records")
    func empty() throws {
        #expect(try InputRecordReader.records(from: Data()).isEmpty)
    }
}
