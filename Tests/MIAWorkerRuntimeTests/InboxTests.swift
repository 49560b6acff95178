import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Worker runtime: the inbox knows inputs by source and id, lets corrections through, and is pruned")
struct InboxTests {
    @Test(
        "CloudEvents ids are unique per source: one id from two sources is two inputs, and each redelivery is dropped",
        arguments: TestStore.available)
    func keyedBySourceAndId(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let first = Events.referral(1)
        var other = Events.referral(2)
        other.id = first.id
        other.source = "/another-agency-system"
        try await harness.produce([first, other, first, other])
        let worker = try harness.start(ProbeHandler())
        try await waitUntil("every record handled") {
            try worker.metric("mia_messages_processed_total") + worker.metric("mia_messages_duplicate_total") == 4
        }
        try await worker.stop()
        #expect(try await worker.effects() == 2, "one effect per (source, id)")
        #expect(try worker.metric("mia_messages_duplicate_total") == 2)
    }

    @Test(
        "A corrected record under a dead-lettered id is handled once; the bad record redelivered is not",
        arguments: TestStore.available)
    func correctionAfterDeadLetter(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        // A record that decodes, but that the handler refuses, is dead-lettered under its event id; a correction
        // keeps the id (`mia publish` derives it from the record's natural key).
        let good = Events.referral(5)
        let bad = Events.bytes(Events.referral(5, resursrad: "reject"))
        let key = good.subject
        func record(_ bytes: [UInt8]) -> KafkaProducerMessage {
            KafkaProducerMessage(topic: TopicRegistry.referral, key: key, value: bytes)
        }
        try await harness.produce([record(bad), record(bad)])
        let worker = try harness.start(ProbeHandler())
        try await waitUntil("the bad record dead-lettered, its redelivery dropped") {
            try worker.metric("mia_messages_dead_lettered_total") == 1
                && worker.metric("mia_messages_duplicate_total") == 1
        }
        try await harness.produce([record(Events.bytes(good)), record(Events.bytes(good))])
        try await waitUntil("the correction handled") {
            try worker.metric("mia_messages_processed_total") == 1 && worker.metric("mia_messages_duplicate_total") == 2
        }
        try await worker.stop()
        #expect(try await worker.effects() == 1, "the corrected anvisning has its effect once")
        #expect(try harness.count("mia.dlq.probe") == 1)
        #expect(try harness.count(TopicRegistry.notification) == 1)
    }

    @Test("The inbox is pruned beyond its horizon in small steps; a redelivery inside the horizon is dropped")
    func pruning() async throws {
        let harness = try RuntimeHarness(workers: ["probe"])
        let events = (0..<30).map { Events.referral($0) }
        try await harness.produce(events + events)
        let remembering = try harness.start(
            ProbeHandler(),
            configure: { configuration in
                configuration.inboxPruneInterval = .milliseconds(100)
                configuration.inboxPruneStep = 7
            })
        try await waitUntil("every record handled") {
            try remembering.metric("mia_messages_processed_total") == 30
                && remembering.metric("mia_messages_duplicate_total") == 30
        }
        try await Task.sleep(for: .milliseconds(500))  // pruning passes over rows inside the horizon
        try await remembering.stop()
        #expect(try await remembering.effects() == 30, "redeliveries inside the horizon have no effect")
        #expect(try await remembering.inboxCount() == 30)
        #expect(try remembering.metric("mia_inbox_pruned_total") == 0)

        try await Task.sleep(for: .seconds(1))
        let pruning = try harness.start(
            ProbeHandler(),
            configure: { configuration in
                configuration.inboxHorizon = .milliseconds(500)
                configuration.inboxPruneInterval = .milliseconds(100)
                configuration.inboxPruneStep = 7
            })
        try await waitUntil("the inbox pruned") { try await pruning.inboxCount() == 0 }
        try await pruning.stop()
        #expect(try pruning.metric("mia_inbox_pruned_total") == 30)
    }
}
