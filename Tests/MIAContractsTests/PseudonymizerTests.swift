import Foundation
import MIAContracts
import Testing

@Suite("Pseudonymizer")
struct PseudonymizerTests {
    static let key = "0123456789abcdef0123456789abcdef"
    static let referenceDate = CalendarDate(year: 2018, month: 3, day: 5)!

    func number(_ text: String) throws -> Personnummer { try Personnummer(text, referenceDate: Self.referenceDate) }

    @Test("the reference is p- and the hex of the first 16 bytes of HMAC-SHA256 over the 12-digit form")
    func knownAnswer() throws {
        let pseudonymizer = try Pseudonymizer(keyText: Self.key)
        // Computed independently: hmac.new(key, b"191212121212", sha256).digest()[:16].hex()
        #expect(pseudonymizer.participantRef(for: try number("19121212-1212")) == "p-dac76de18eecefba4c82c3c9356a6a3b")
    }

    @Test("stable for a key, whatever the written form of the number")
    func stable() throws {
        let pseudonymizer = try Pseudonymizer(keyText: Self.key)
        let reference = pseudonymizer.participantRef(for: try number("19121212-1212"))
        for form in ["191212121212", "121212+1212", " 19121212-1212\n"] {
            #expect(pseudonymizer.participantRef(for: try number(form)) == reference, "\(form)")
        }
        #expect(try Pseudonymizer(keyText: Self.key).participantRef(for: try number("19121212-1212")) == reference)
        #expect(Pseudonymizer.isParticipantRef(reference))
    }

    @Test("different keys and different numbers give different references")
    func differs() throws {
        let first = try Pseudonymizer(keyText: Self.key)
        let second = try Pseudonymizer(keyText: Self.key.uppercased() + "!")
        let person = try number("19121212-1212")
        #expect(first.participantRef(for: person) != second.participantRef(for: person))
        #expect(first.participantRef(for: person) != first.participantRef(for: try number("701063-2391")))
    }

    @Test("a hex key is decoded; raw text is used as bytes")
    func keyForms() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let person = try number("19121212-1212")
        #expect(
            try Pseudonymizer(keyText: hex).participantRef(for: person)
                == Pseudonymizer(key: bytes).participantRef(for: person))
        #expect(
            try Pseudonymizer(keyText: hex.uppercased()).participantRef(for: person)
                == Pseudonymizer(key: bytes).participantRef(for: person))
    }

    @Test("a key shorter than 32 bytes is refused")
    func shortKey() {
        let shortHex = String(repeating: "00", count: 31) + "\n"
        for text in ["too short", String(repeating: "a", count: 31), String(repeating: "ab", count: 15)] {
            let error = #expect(throws: PseudonymizerError.self) { try Pseudonymizer(keyText: text) }
            #expect(error?.code == .keyTooShort)
        }
        #expect(throws: Never.self, "62 hex digits are not a hex key, so they count as 62 raw bytes") {
            try Pseudonymizer(keyText: shortHex)
        }
    }

    @Test("the key does not show in descriptions or dumps")
    func keyRedacted() throws {
        let pseudonymizer = try Pseudonymizer(keyText: Self.key)
        var dumped = ""
        dump(pseudonymizer, to: &dumped)
        for text in [dumped, "\(pseudonymizer)", String(reflecting: pseudonymizer)] {
            #expect(!text.contains("48, 49") && !text.contains("0123"), "\(text)")
        }
    }

    @Test("the environment gives the key, or a key file, or a clear error")
    func environment() throws {
        let person = try number("19121212-1212")
        let direct = try Pseudonymizer.fromEnvironment(["MIA_PSEUDONYM_KEY": Self.key])
        #expect(direct.participantRef(for: person) == "p-dac76de18eecefba4c82c3c9356a6a3b")

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mia-key-\(UUID().uuidString)")
        try Data((Self.key + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let fromFile = try Pseudonymizer.fromEnvironment(["MIA_PSEUDONYM_KEY_FILE": file.path])
        #expect(fromFile.participantRef(for: person) == direct.participantRef(for: person))

        let missing = #expect(throws: PseudonymizerError.self) { try Pseudonymizer.fromEnvironment([:]) }
        #expect(missing?.code == .keyMissing)
        #expect(missing?.description.contains("MIA_PSEUDONYM_KEY") == true)

        let unreadable = #expect(throws: PseudonymizerError.self) {
            try Pseudonymizer.fromEnvironment(["MIA_PSEUDONYM_KEY_FILE": "/nonexistent/mia-key"])
        }
        #expect(unreadable?.code == .keyFileUnreadable)
    }

    @Test("participant reference format")
    func format() {
        #expect(Pseudonymizer.isParticipantRef("p-00112233445566778899aabbccddeeff"))
        #expect(!Pseudonymizer.isParticipantRef("p-00112233445566778899AABBCCDDEEFF"))
        #expect(!Pseudonymizer.isParticipantRef("19121212-1212"))
        #expect(!Pseudonymizer.isParticipantRef("p-0011"))
    }
}
