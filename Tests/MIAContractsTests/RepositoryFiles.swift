import Foundation
import Testing

/// Files of the repository that the tests check the Swift contracts against.
enum RepositoryFiles {
    /// The repository root: the nearest ancestor of this file that has a `schemas` folder.
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("schemas").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("no schemas folder above \(#filePath)")
    }()

    static let schemas = root.appendingPathComponent("schemas")

    /// The JSON files of a folder under `schemas/examples`, sorted by name.
    static func examples(_ folder: String) -> [URL] {
        let directory = schemas.appendingPathComponent("examples").appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0 != "index.json" }.sorted().map(
            directory.appendingPathComponent)
    }

    /// The entries of `schemas/examples/invalid/index.json`.
    static let invalidIndex: [InvalidExample] = {
        struct Index: Decodable { var examples: [InvalidExample] }
        let url = schemas.appendingPathComponent("examples/invalid/index.json")
        guard let data = try? Data(contentsOf: url), let index = try? JSONDecoder().decode(Index.self, from: data)
        else {
            return []
        }
        return index.examples
    }()

    static func contents(_ url: URL) throws -> Data {
        try Data(contentsOf: url)
    }
}

/// One entry of `schemas/examples/invalid/index.json`.
struct InvalidExample: Decodable, Sendable, CustomTestStringConvertible {
    var file: String
    var rule: String
    var code: String
    var field: String?
    var schemaDetects: Bool

    var testDescription: String { file }
}
