import MIACommands
import MIAContracts
import MIAKafka
import Testing

@Suite("Topic create requests from the registry")
struct TopicProvisioningTests {
    @Test("One request per registry topic, with its partitions, replication and configs")
    func requestsFollowRegistry() {
        let registry = TopicRegistry(participantPartitions: 12, otherPartitions: 3)
        let requests = TopicProvisioning.newTopics(registry: registry)
        #expect(requests.map(\.name) == registry.topics.map(\.name))
        let byName = Dictionary(uniqueKeysWithValues: requests.map { ($0.name, $0) })
        for name in TopicRegistry.participantScoped {
            #expect(byName[name]?.partitions == 12, "participant-scoped \(name) is co-partitioned")
        }
        #expect(byName[TopicRegistry.calendar]?.partitions == 3)
        #expect(requests.allSatisfy { $0.replicationFactor == 3 })
        for compacted in [TopicRegistry.asf, TopicRegistry.asfStatus, TopicRegistry.statistics] {
            #expect(byName[compacted]?.configs["cleanup.policy"] == "compact", "\(compacted)")
        }
        #expect(byName[TopicRegistry.referral]?.configs.isEmpty == true)
        for worker in TopicRegistry.workers {
            #expect(byName["mia.dlq.\(worker)"] != nil)
        }
    }

    @Test("Replication can be overridden for small clusters")
    func replicationOverride() {
        let requests = TopicProvisioning.newTopics(registry: .default, replicationFactor: 1)
        #expect(requests.allSatisfy { $0.replicationFactor == 1 })
        #expect(requests.count == 15)
    }
}
