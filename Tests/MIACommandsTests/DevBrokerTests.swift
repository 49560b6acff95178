import Foundation
import MIAContracts
import MIAWorkerTestKit
import Testing

@Suite("mia devbroker as a separate process")
struct DevBrokerTests {
    @Test(
        "kcat -L against its bootstrap lists every registry topic and each --topic with its partition count; SIGTERM exits 0"
    )
    func listsRegistryTopics() async throws {
        let bootstrapFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bootstrap-\(UUID().uuidString)")
        let broker = try ChildProcess(
            "mia",
            [
                "devbroker", "--partitions", "6", "--other-partitions", "5", "--topic", "peer.out",
                "--bootstrap-file", bootstrapFile.path,
            ])
        try await broker.waitUntil("the bootstrap file") { _ in
            FileManager.default.fileExists(atPath: bootstrapFile.path)
        }
        let bootstrap = try String(contentsOf: bootstrapFile, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(bootstrap.hasPrefix("127.0.0.1:"))
        #expect(broker.stdout.contains("bootstrap: \(bootstrap)"))
        #expect(broker.stdout.contains("warning:"))

        let listing = try await runToCompletion("kcat", ["-L", "-b", bootstrap, "-m", "10"])
        #expect(listing.status == 0)
        var partitionsByTopic: [String: Int] = [:]
        for line in listing.stdout.split(separator: "\n") {
            // `  topic "mia.referral.v1" with 6 partitions:`
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            if parts.count >= 4, parts[0] == "topic", parts[2] == "with" {
                partitionsByTopic[parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))] = Int(parts[3])
            }
        }
        let registry = TopicRegistry(participantPartitions: 6, otherPartitions: 5)
        for spec in registry.topics {
            #expect(partitionsByTopic[spec.name] == spec.partitions, "\(spec.name)")
        }
        #expect(partitionsByTopic["peer.out"] == 5, "an extra topic has --other-partitions partitions")
        #expect(partitionsByTopic.count == registry.topics.count + 1)

        let status = try await broker.stop(signal: SIGTERM)
        #expect(status == 0)
    }
}
