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
        #expect(String(decoding: records[1].bytes, as: UTF8.self) == #"{"b":[true,null]}"#)
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
