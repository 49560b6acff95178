import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Worker runtime: redelivery and duplicates have no second effect")
struct ExactlyOnceTests {
    @Test(
        "The same event id twice, and the whole input redelivered to a new group, give one effect each",
        arguments: TestStore.available)
    func duplicatesAndRedelivery(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe", "probe-replay"], store: kind)
        let events = (0..<300).map { Events.referral($0) }
        try await harness.produce(events)
        try await harness.produce(Array(events[100..<150]))  // duplicates: same ids, new offsets

        let worker = try harness.start(ProbeHandler())
        try await waitUntil("all 350 records handled") {
            try worker.metric("mia_messages_processed_total") + worker.metric("mia_messages_duplicate_total") == 350
        }
        try await worker.stop()
        #expect(try await worker.effects() == 300)
        #expect(try worker.metric("mia_messages_duplicate_total") == 50)

        // The whole input again, as after lost offsets: a group with no committed offsets, on the same store.
        let replay = try harness.start(ProbeHandler(name: "probe-replay"), store: worker.store)
        try await waitUntil("the replay") { try replay.metric("mia_messages_duplicate_total") == 350 }
        try await replay.stop()
        #expect(try replay.metric("mia_messages_processed_total") == 0)
        #expect(try await replay.effects() == 300)
        let notifications = try await harness.read(TopicRegistry.notification)
        #expect(notifications.count == 300, "one notification per anvisning")
        #expect(try harness.count("mia.dlq.probe") == 0)
    }

    @Test(
        "A second member joining mid-stream (a forced rebalance) causes no second effect",
        arguments: TestStore.available)
    func rebalanceRedelivery(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let events = (0..<4000).map { Events.referral($0) }
        try await harness.produce(Array(events[0..<2000]))
        let first = try harness.start(ProbeHandler(), configure: { $0.batchSize = 50 })
        try await waitUntil("the first member to start") { try await first.inboxCount() > 200 }
        let second = try harness.start(ProbeHandler(), configure: { $0.batchSize = 50 })
        try await harness.produce(Array(events[2000...]))
        try await waitUntil("all records handled", timeout: .seconds(120)) {
            try await first.inboxCount() == events.count
        }
        try await first.stop()
        try await second.stop()
        #expect(try await first.effects() == events.count)
        let notifications = try await harness.read(TopicRegistry.notification)
        let ids = Set(notifications.compactMap { try? EventDecoder().decode($0.value).id })
        #expect(ids.count == events.count, "every notification id present")
        #expect(notifications.count == events.count, "and none twice")
    }
}
