import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Worker runtime: broker faults are ridden out")
struct BrokerFaultTests {
    @Test(
        "A broker down for seconds and retriable produce errors: nothing lost, nothing dead-lettered",
        arguments: TestStore.available)
    func brokerDownAndProduceErrors(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let events = (0..<3000).map { Events.referral($0) }
        try await harness.produce(events)
        let worker = try harness.start(ProbeHandler(), configure: { $0.batchSize = 20 })
        try await waitUntil("the first records") { try await worker.effects() >= 200 }

        // Mid-stream: retriable errors for the worker's next produce requests (NOT_ENOUGH_REPLICAS,
        // NOT_LEADER_FOR_PARTITION), and a broker down for four seconds.
        harness.cluster.pushRequestErrors(.produce, errors: [19, 19, 6, 19, 6])
        harness.cluster.setBrokerDown(2)
        try await Task.sleep(for: .seconds(4))
        harness.cluster.setBrokerUp(2)

        try await waitUntil("every record applied", timeout: .seconds(120)) {
            try await worker.effects() == events.count
        }
        try await waitUntil("the outbox relayed", timeout: .seconds(120)) {
            (try? harness.count(TopicRegistry.notification)) ?? 0 >= events.count
        }
        try await worker.stop()
        #expect(try worker.metric("mia_messages_dead_lettered_total") == 0)
        #expect(try harness.count("mia.dlq.probe") == 0)
        let notifications = try await harness.read(TopicRegistry.notification)
        let ids = Set(notifications.compactMap { try? EventDecoder().decode($0.value).id })
        #expect(ids.count == events.count, "no notification lost")
    }
}
