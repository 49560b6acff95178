import Foundation
import Testing

@testable import MIAContracts

/// The publishing path reads input records with its own parser; it must accept and produce what `JSONDecoder`
/// did before, which these tests use as the reference.
@Suite("JSONValueParser agrees with JSONDecoder on input records")
struct JSONValueParserTests {
    static let valid: [String] = [
        #"{"a":1,"b":"x","c":[true,false,null],"d":{"e":-2.5}}"#,
        #"  { "s" : "a\"b\\c\/d\b\f\n\r\t" }  "#,
        #"{"u":"\u00e5\u00e4\u00f6 \ud83d\ude00 \u0041"}"#,
        #"{"n":[0,-0,12,1.5,-1e3,2E-2,123456789012345678901234567890]}"#,
        #"{"nested":{"a":{"b":{"c":[[[]]]}}},"empty":{}}"#,
        #"[]"#, #""text""#, #"42"#, #"null"#,
        #"{"åäö":"Malmö – Göteborg"}"#,
    ]

    static let invalid: [String] = [
        "", "{", "}", #"{"a":}"#, #"{"a" 1}"#, #"{"a":1,}"#, "[1,]", "[1 2]", #"{"a":1} x"#, "tru", "nul",
        "01", "1.", ".5", "-", "1e", "+1", #""unterminated"#, "\"tab\tinside\"", #""\x""#, #""\u12""#,
        #""\ud800""#, #""\udc00x""#, "{'a':1}", "NaN", #"{"a":1}{"#, "1e400000000",
    ]

    /// Trailing commas, which `JSONDecoder` lets through; RFC 8259 and the JSON Schemas of the contract do not.
    static let trailingCommas: Set<String> = [#"{"a":1,}"#, "[1,]"]

    @Test("valid JSON parses to the value JSONDecoder gives", arguments: valid)
    func validInput(_ text: String) throws {
        let parsed = try JSONValueParser.parse(Array(text.utf8))
        let reference = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(parsed == reference)
    }

    @Test("invalid JSON is refused, as JSONDecoder refuses it (trailing commas: more strictly)", arguments: invalid)
    func invalidInput(_ text: String) throws {
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(Array(text.utf8)) }
        if Self.trailingCommas.contains(text) {
            _ = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } else {
            #expect(throws: (any Error).self) { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
        }
    }

    @Test("invalid UTF-8 in a string and nesting beyond the limit are refused")
    func invalidBytesAndDepth() {
        #expect(throws: JSONValueParser.Failure.self) {
            try JSONValueParser.parse([UInt8(ascii: "\"")] + [0xC3, 0x28] + [UInt8(ascii: "\"")])
        }
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONValueParser.Failure.self) { try JSONValueParser.parse(Array(deep.utf8)) }
    }

    @Test("serialized values parse back to themselves and decode with JSONDecoder", arguments: valid)
    func roundTrip(_ text: String) throws {
        let value = try JSONValueParser.parse(Array(text.utf8))
        let bytes = value.serialized
        #expect(try JSONValueParser.parse(bytes) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
    }

    @Test("control characters are escaped when serialized")
    func controlCharacters() throws {
        let value = JSONValue.object(["k": .string("a\u{01}b\n\"\\")])
        #expect(String(decoding: value.serialized, as: UTF8.self) == #"{"k":"a\u0001b\n\"\\"}"#)
    }
}
