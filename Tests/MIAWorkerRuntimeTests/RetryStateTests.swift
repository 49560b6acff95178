import Foundation
import GRDB
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// What becomes of partitions waiting for a retry: through a rebalance, in `/readyz`, and in CPU time.
@Suite("Worker runtime: partitions waiting for a retry", .serialized)
struct RetryStateTests {
    @Test("A partition paused for a retry and handed back in a rebalance is fetched again: every record is applied")
    func pausedPartitionSurvivesRebalance() async throws {
        let harness = try RuntimeHarness(workers: ["probe"])
        let events = (0..<600).map { Events.referral($0, participant: $0 % 60, sequence: $0) }
        try await harness.produce(Array(events[0..<100]))
        let configure: (inout WorkerRuntimeConfiguration) -> Void = {
            $0.batchSize = 20
            $0.backoff = Backoff(base: .milliseconds(200), cap: .milliseconds(400))
        }
        let first = try harness.start(
            ProbeHandler(), store: try SQLiteStore(path: harness.databasePath, busyTimeout: 0.05), configure: configure)
        try await waitUntil("the first records") { try await first.effects() == 100 }

        // A retry in progress: another connection holds the store's write lock, so every partition is paused.
        var lockConfiguration = Configuration()
        lockConfiguration.allowsUnsafeTransactions = true  // the lock is held across accesses on purpose
        lockConfiguration.busyMode = .timeout(10)  // the worker's relay may be mid-transaction when the blocker asks
        let blocker = try DatabaseQueue(path: harness.databasePath, configuration: lockConfiguration)
        try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        try await harness.produce(Array(events[100...]))
        try await waitUntil("every partition waiting for its retry") {
            try first.metric("mia_messages_retried_total") > 0
        }
        // A second member joins: the group rebalances while the first member's partitions are paused.
        let second = try harness.start(
            ProbeHandler(), store: try SQLiteStore(path: harness.databasePath, busyTimeout: 0.05), configure: configure)
        try await waitUntil("the second member to get partitions", timeout: .seconds(30)) {
            let reason = second.health.readiness.reason
            return reason.hasPrefix("ready") || reason.contains("outage") || reason.contains("stalled")
        }
        try await Task.sleep(for: .seconds(1))
        try await blocker.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }

        try await waitUntil("every record applied", timeout: .seconds(60)) {
            try await first.effects() == events.count
        }
        try await first.stop()
        try await second.stop()
        #expect(try first.metric("mia_messages_dead_lettered_total") == 0)
        #expect(try harness.count("mia.dlq.probe") == 0)
    }

    @Test("/readyz turns red for a partition that has waited longer than the stall limit, and green again after")
    func stalledPartitionIsNotReady() async throws {
        let harness = try RuntimeHarness(workers: ["probe"])
        // One anvisning the handler cannot apply yet (RetryLater) holds up its partition.
        try await harness.produce([Events.referral(1, participant: 1, resursrad: "later")])
        let worker = try harness.start(
            ProbeHandler(),
            configure: {
                $0.maxAttempts = 1000
                $0.stallLimit = .seconds(3)
                $0.backoff = Backoff(base: .milliseconds(300), cap: .milliseconds(600))
            })
        try await waitUntil("the retries") { try worker.metric("mia_messages_retried_total") > 0 }
        try await waitUntil("/readyz to say the partition is stalled", timeout: .seconds(20)) {
            worker.health.readiness.reason.contains("stalled partitions: mia.referral.v1")
        }
        #expect(worker.health.readiness.ready == false)
        #expect(worker.health.isAlive, "a stalled partition is not a dead process: /healthz stays green")
        // Other partitions go on meanwhile.
        try await harness.produce([Events.referral(2, participant: 2), Events.referral(3, participant: 3)])
        try await waitUntil("the other anvisningar") { try await worker.effects() >= 1 }
        try await worker.stop()
    }

    @Test("With the backlog full and every partition waiting for its retry, the worker uses almost no CPU")
    func waitingUsesNoCPU() async throws {
        let harness = try RuntimeHarness(workers: ["probe"])
        // Enough anvisningar the handler cannot apply yet to fill the backlog (4 batches of 10) on every partition.
        try await harness.produce((0..<120).map { Events.referral($0, participant: $0, resursrad: "later") })
        let worker = try harness.start(
            ProbeHandler(),
            configure: {
                $0.batchSize = 10
                $0.maxAttempts = 1000
                // Long waits between attempts: what is measured is the time between them.
                $0.backoff = Backoff(base: .seconds(20), cap: .seconds(20))
            })
        try await waitUntil("every partition waiting for its retry", timeout: .seconds(30)) {
            try worker.metric("mia_messages_consumed_total") >= 40 && worker.metric("mia_messages_retried_total") >= 40
        }
        try await Task.sleep(for: .seconds(1))
        let before = Self.processCPUTime()
        let window = Duration.seconds(4)
        try await Task.sleep(for: window)
        let used = Self.processCPUTime() - before
        try await worker.stop()
        // A loop that spins uses a whole core; the broker threads and librdkafka's own idle work use a few per cent.
        #expect(used < window * 0.25, "CPU time while every partition waits: \(used) in \(window)")
    }

    /// User and system CPU time of this process so far.
    static func processCPUTime() -> Duration {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}
