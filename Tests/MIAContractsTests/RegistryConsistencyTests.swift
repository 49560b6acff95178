import Foundation
import MIAContracts
import Testing

@Suite("Event types, topics, schemas and AsyncAPI agree")
struct RegistryConsistencyTests {
    static let asyncAPI =
        (try? String(contentsOf: RepositoryFiles.schemas.appendingPathComponent("asyncapi.yaml"), encoding: .utf8))
        ?? ""

    @Test("every event type has a schema file whose $id is its dataschema", arguments: EventType.all)
    func schemaFile(_ type: EventType) throws {
        let url = RepositoryFiles.schemas.appendingPathComponent(type.schemaFile)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        #expect(schema["$id"] as? String == type.dataSchema)
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test("every event type travels on a registered topic and is listed in asyncapi.yaml", arguments: EventType.all)
    func topic(_ type: EventType) {
        #expect(TopicRegistry.default.topic(named: type.topic) != nil)
        #expect(Self.asyncAPI.contains("name: \(type.name)\n"))
        #expect(EventType(name: type.name) == type)
    }

    @Test("every registry topic has a channel in asyncapi.yaml", arguments: TopicRegistry.default.topics.map(\.name))
    func channel(_ topic: String) {
        #expect(Self.asyncAPI.contains("address: \(topic)\n"))
    }

    @Test("the envelope schema lists exactly the registered types")
    func envelopeSchema() throws {
        let url = RepositoryFiles.schemas.appendingPathComponent("cloudevent.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        let type = try #require(properties["type"] as? [String: Any])
        #expect(Set(type["enum"] as? [String] ?? []) == Set(EventType.all.map(\.name)))
    }

    @Test("every data schema file belongs to an event type")
    func noOrphanSchemas() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.schemas.path)
            .filter { $0.hasSuffix(".json") }
        let expected = Set(EventType.all.map(\.schemaFile)).union(["cloudevent.json", "common.json"])
        #expect(Set(files) == expected)
    }

    @Test("type names are unique and every type has a Swift data type")
    func uniqueNames() {
        #expect(Set(EventType.all.map(\.name)).count == EventType.all.count)
        #expect(EventType.all.allSatisfy { EventPayload.dataType(of: $0) != nil })
        #expect(EventType(name: "se.mia.unknown") == nil)
    }
}
