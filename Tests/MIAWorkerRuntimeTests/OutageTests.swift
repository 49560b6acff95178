import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// An outage of a minute, as an operator meets it in a database failover or a broker restart, mid-stream: nothing is
/// dead-lettered, nothing is lost, and the worker goes on by itself once the outage ends.
@Suite("Worker runtime: outages of the store and the broker are waited out", .serialized)
struct OutageTests {
    static let outage = Duration.seconds(60)

    @Test(
        "PostgreSQL stopped for 60 s mid-stream: nothing dead-lettered, nothing lost, processing resumes by itself",
        .enabled(if: PostgresServer.unavailableReason == nil, "\(PostgresServer.unavailableReason ?? "")"))
    func postgresOutage() async throws {
        let server = try await PostgresServer()
        let harness = try RuntimeHarness(workers: ["probe"])
        let events = (0..<3000).map { Events.referral($0, participant: $0 % 300, sequence: $0) }
        try await harness.produce(Array(events[0..<2000]))
        let store = try PostgresStore(url: server.url + "?schema=outage")
        let worker = try harness.start(
            ProbeHandler(), store: store,
            configure: {
                $0.batchSize = 50; $0.maxAttempts = 3
            })
        try await waitUntil("the first records", timeout: .seconds(60)) { try await worker.effects() >= 200 }

        try await server.stop()
        try await harness.produce(Array(events[2000...]))
        try await waitUntil("/readyz to show the outage") { worker.health.readiness.reason.contains("outage") }
        try await Task.sleep(for: Self.outage)
        #expect(try harness.count("mia.dlq.probe") == 0, "nothing dead-lettered during the outage")
        try await server.start()

        try await waitUntil("every record applied after the outage", timeout: .seconds(120)) {
            try await worker.effects() == events.count
        }
        try await waitUntil("every output published") { try harness.count(TopicRegistry.notification) >= events.count }
        // A partition that waited out the outage for longer than the stall limit was reported stalled; the
        // records that end its wait turn /readyz green again.
        try await waitUntil("/readyz green again", timeout: .seconds(10)) {
            worker.health.readiness.reason.hasPrefix("ready")
        }
        try await worker.stop()
        #expect(try harness.count("mia.dlq.probe") == 0, "an outage is not bad input")
        let distinct = try await store.read { transaction in
            try transaction.queryOne("SELECT COUNT(DISTINCT referral_id) AS n FROM probe_effects", [])?["n"].integer
        }
        #expect(distinct == Int64(events.count), "each record applied once")
        await store.close()
    }

    @Test("The development broker down for 60 s mid-stream: nothing dead-lettered, nothing lost, resumes by itself")
    func brokerOutage() async throws {
        let harness = try RuntimeHarness(workers: ["probe"])
        let events = (0..<3000).map { Events.referral($0, participant: $0 % 300, sequence: $0) }
        try await harness.produce(events)
        let worker = try harness.start(
            ProbeHandler(),
            configure: {
                $0.batchSize = 50; $0.maxAttempts = 3
            })
        try await waitUntil("the first records", timeout: .seconds(60)) { try await worker.effects() >= 200 }

        for broker in 1...Int32(harness.cluster.brokerCount) { harness.cluster.setBrokerDown(broker) }
        try await Task.sleep(for: Self.outage)
        for broker in 1...Int32(harness.cluster.brokerCount) { harness.cluster.setBrokerUp(broker) }

        try await waitUntil("every record applied after the outage", timeout: .seconds(120)) {
            try await worker.effects() == events.count
        }
        try await waitUntil("every output published", timeout: .seconds(120)) {
            let pending = try await worker.store.read { transaction in
                try transaction.queryOne("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0", [])?["n"].integer
            }
            return pending == 0
        }
        try await worker.stop()
        #expect(try harness.count("mia.dlq.probe") == 0, "an outage is not bad input")
        let notifications = try await harness.events(TopicRegistry.notification)
        #expect(Set(notifications.map(\.id)).count == events.count, "every output on its topic")
        let distinct = try await worker.store.read { transaction in
            try transaction.queryOne("SELECT COUNT(DISTINCT referral_id) AS n FROM probe_effects", [])?["n"].integer
        }
        #expect(distinct == Int64(events.count), "each record applied once")
    }
}
