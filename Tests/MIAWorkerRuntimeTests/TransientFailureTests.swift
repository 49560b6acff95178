import Foundation
import GRDB
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Synchronization
import Testing

@Suite("Worker runtime: transient failures pause, back off and resume")
struct TransientFailureTests {
    @Test("A locked store pauses the partitions, nothing is dead-lettered, order per key holds")
    func lockedStore() async throws {
        // SQLite's own lock: a second connection holding the write lock.
        let harness = try RuntimeHarness(workers: ["probe"])
        // 20 participants, 30 anvisningar each, in sequence.
        let events = (0..<600).map { Events.referral($0, participant: $0 % 20, sequence: $0) }
        try await harness.produce(Array(events[0..<200]))
        let store = try SQLiteStore(path: harness.databasePath, busyTimeout: 0.05)
        let worker = try harness.start(
            ProbeHandler(), store: store,
            configure: {
                $0.batchSize = 20; $0.maxAttempts = 100
            })
        try await waitUntil("the first records") { try await worker.effects() >= 200 }

        // Another process-like connection takes the write lock for three seconds.
        var lockConfiguration = Configuration()
        lockConfiguration.allowsUnsafeTransactions = true  // the lock is held across accesses on purpose
        lockConfiguration.busyMode = .timeout(10)  // the worker may be mid-transaction when the blocker asks
        let blocker = try DatabaseQueue(path: harness.databasePath, configuration: lockConfiguration)
        try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        try await harness.produce(Array(events[200...]))
        try await Task.sleep(for: .seconds(3))
        #expect(try worker.metric("mia_messages_retried_total") > 0, "batches were retried while the store was locked")
        #expect(try await worker.effects() == 200, "nothing applied while locked")
        try await blocker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }

        try await waitUntil("every record applied") { try await worker.effects() == events.count }
        try await worker.stop()
        #expect(try worker.metric("mia_messages_dead_lettered_total") == 0)
        #expect(try harness.count("mia.dlq.probe") == 0)
        let order = try await store.read { transaction in
            try transaction.query("SELECT participant, referral_id FROM probe_effects ORDER BY id", [])
        }
        var last: [String: Int] = [:]
        for row in order {
            let participant = row["participant"].text ?? ""
            let index = Int(row["referral_id"].text?.dropFirst(4) ?? "") ?? -1
            #expect(index > last[participant, default: -1], "order per participant")
            last[participant] = index
        }
    }

    @Test(
        "An outage outlasting --max-attempts is waited out: nothing dead-lettered, /readyz red meanwhile, then resumed",
        arguments: TestStore.available)
    func outageOutlastsAttempts(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let faults = ProbeFaults()
        // A store that fails transiently on eight attempts in a row, with three attempts allowed for bad records.
        faults.transientFailures.withLock { $0 = 8 }
        try await harness.produce([Events.referral(1)])
        let worker = try harness.start(ProbeHandler(faults: faults), configure: { $0.maxAttempts = 3 })
        try await waitUntil("/readyz to show the outage") { worker.health.readiness.reason.contains("outage") }
        try await waitUntil("the record applied once the store answers", timeout: .seconds(30)) {
            try await worker.effects() == 1
        }
        // The loop clears the outage once the batch's transaction has committed, a moment after its effects show.
        try await waitUntil("/readyz green again after the outage", timeout: .seconds(10)) {
            worker.health.readiness.reason.hasPrefix("ready")
        }
        try await harness.produce([Events.referral(2)])
        try await waitUntil("the next record") { try await worker.effects() == 2 }
        try await worker.stop()
        #expect(try worker.metric("mia_messages_retried_total") >= 8)
        #expect(try worker.metric("mia_messages_dead_lettered_total") == 0)
        #expect(try harness.count("mia.dlq.probe") == 0, "an outage is not bad input")
    }

    @Test(
        "RetryLater is retried, then dead-lettered with its own class and reason; order per key holds meanwhile",
        arguments: TestStore.available)
    func retryLater(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        // Two anvisningar of one participant: the second waits behind the first, which is never applicable.
        try await harness.produce([
            Events.referral(1, participant: 9, resursrad: "later"), Events.referral(2, participant: 9),
        ])
        let worker = try harness.start(ProbeHandler(), configure: { $0.maxAttempts = 3 })
        try await waitUntil("the second anvisning") { try await worker.effects() == 1 }
        try await worker.stop()
        #expect(try worker.metric("mia_messages_retried_total") >= 2)
        let letter = try #require(try await harness.read("mia.dlq.probe").first)
        #expect(letter.headers.string(named: "mia-error-class") == "validation")
        #expect(letter.headers.string(named: "mia-error-reason")?.contains("Resursråd later is not known yet") == true)
        #expect(letter.headers.string(named: DeadLetter.attemptsHeader) == "3", "the attempts it was given")
    }
}
