import Foundation
import MIAContracts
import Testing

@Suite("Examples in schemas/examples")
struct ExampleTests {
    @Test("every valid example decodes", arguments: RepositoryFiles.examples("valid"))
    func validExampleDecodes(_ url: URL) throws {
        let event = try EventDecoder().decode(RepositoryFiles.contents(url))
        #expect(event.subject == event.payload.partitionKey)
        #expect(event.dataSchema.hasSuffix(event.type.schemaFile))
    }

    @Test("the valid examples cover every event type")
    func validExamplesCoverEveryType() throws {
        let types = try RepositoryFiles.examples("valid").map {
            try EventDecoder().decode(RepositoryFiles.contents($0)).type
        }
        #expect(Set(types) == Set(EventType.all))
    }

    @Test("every invalid example fails with its stated code and field", arguments: RepositoryFiles.invalidIndex)
    func invalidExampleFails(_ example: InvalidExample) throws {
        let url = RepositoryFiles.schemas.appendingPathComponent("examples/invalid/\(example.file)")
        let expectedCode = try #require(ContractViolation.Code(name: example.code))
        let violation = #expect(throws: ContractViolation.self) {
            try EventDecoder().decode(RepositoryFiles.contents(url))
        }
        #expect(violation?.code == expectedCode)
        #expect(violation?.field == example.field)
    }

    @Test("every invalid example file is in the index, and the index names the required rules")
    func indexIsComplete() {
        let files = Set(RepositoryFiles.examples("invalid").map(\.lastPathComponent))
        #expect(files == Set(RepositoryFiles.invalidIndex.map(\.file)))
        let codes = Set(RepositoryFiles.invalidIndex.map(\.code))
        let required = [
            "malformedJSON", "unknownEventType", "unsupportedSpecVersion", "missingField", "wrongType",
            "consentNotGiven", "endBeforeStart", "asfIdRequired",
        ]
        #expect(codes.isSuperset(of: required))
    }

    @Test("a message over the size limit is rejected before parsing")
    func oversizeMessage() throws {
        let url = RepositoryFiles.schemas.appendingPathComponent("examples/valid/notification-requested.json")
        var json = try #require(
            try JSONSerialization.jsonObject(with: RepositoryFiles.contents(url)) as? [String: Any])
        var data = try #require(json["data"] as? [String: Any])
        data["body"] = String(repeating: "x", count: 64 * 1024)
        json["data"] = data
        let bytes = try JSONSerialization.data(withJSONObject: json)
        #expect(bytes.count > 64 * 1024)

        let violation = #expect(throws: ContractViolation.self) { try EventDecoder().decode(bytes) }
        #expect(violation?.code == .tooLarge)
        #expect(violation?.field == nil)
        #expect(violation?.errorClass == .decode)

        let generous = EventDecoder(configuration: .init(maxMessageBytes: 128 * 1024))
        #expect(throws: Never.self) { try generous.decode(bytes) }
    }

    @Test("decode violations and validation violations have their error class")
    func errorClasses() {
        #expect(ContractViolation.Code.missingField.errorClass == .decode)
        #expect(ContractViolation.Code.malformedJSON.errorClass == .decode)
        #expect(ContractViolation.Code.consentNotGiven.errorClass == .validation)
        #expect(ContractViolation.Code.endBeforeStart.errorClass == .validation)
        #expect(ContractViolation.Code(name: "noSuchRule") == nil)
    }

    @Test("a JSON value that is not an object is malformed")
    func notAnObject() {
        for text in ["[1, 2]", "\"event\"", "", "{\"specversion\": "] {
            let violation = #expect(throws: ContractViolation.self) { try EventDecoder().decode(Array(text.utf8)) }
            #expect(violation?.code == .malformedJSON, "\(text)")
        }
    }
}
