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

    /// Produce error codes librdkafka cannot recover from: TOPIC_AUTHORIZATION_FAILED (29) and
    /// CLUSTER_AUTHORIZATION_FAILED (31) are authorisation failures, OUT_OF_ORDER_SEQUENCE_NUMBER (45) breaks the
    /// idempotent producer's sequence.
    static let fatalProduceErrors: [Int32] = [29, 31, 45]

    @Test(
        "A fatal client error fails /healthz and stops the worker with that error, instead of running on",
        arguments: fatalProduceErrors)
    func fatalErrorStopsTheWorker(code: Int32) async throws {
        let harness = try RuntimeHarness(workers: ["probe"])
        try await harness.produce((0..<20).map { Events.referral($0) })
        // Every produce request of the worker fails with the code (the test's own producer is done).
        harness.cluster.pushRequestErrors(.produce, errors: Array(repeating: code, count: 100))
        let worker = try harness.start(ProbeHandler())
        try await waitUntil("the worker is no longer alive", timeout: .seconds(60)) { !worker.health.isAlive }
        #expect(worker.health.readiness.reason.hasPrefix("fatal:"), "\(worker.health.readiness.reason)")
        do {
            try await worker.stop()
            Issue.record("the worker stopped without an error")
        } catch let error as KafkaError {
            #expect(error.isFatal, "\(error)")
        }
        // What was applied stays applied, and each of its outputs waits in the outbox for the next run.
        let applied = try await worker.effects()
        let waiting = try await worker.store.read {
            try $0.queryOne("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0", [])?["n"].integer
        }
        #expect(applied > 0)
        #expect(waiting == Int64(applied))
    }

    @Test("A worker process stopped by a fatal client error exits non-zero within seconds and says why")
    func fatalErrorExitsTheProcess() async throws {
        let harness = try RuntimeHarness(workers: ["notifier"])
        try await harness.produce((0..<20).map { Events.referral($0) })
        harness.cluster.pushRequestErrors(.produce, errors: Array(repeating: 29, count: 100))
        let database = TestStore.sqlite.freshDatabase()
        let process = try harness.workerProcess("mia-notifier", database: database)
        let status = try await process.waitForExit(timeout: .seconds(60))
        #expect(status != 0)
        #expect(process.stderr.contains("fatal Kafka client error"), "\(process.stderr.suffix(2000))")
    }
}
