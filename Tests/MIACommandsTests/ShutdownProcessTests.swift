import Foundation
import GRDB
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

/// SIGTERM in every state a worker can be in: a real `mia-notifier` process exits 0 within its
/// `--shutdown-timeout`, whatever it was doing.
@Suite("Worker processes: graceful shutdown in every state", .serialized)
struct ShutdownProcessTests {
    enum State: String, CaseIterable, CustomStringConvertible {
        case midBatch = "mid-batch"
        case midRetry = "mid-retry (store locked)"
        case midRebalance = "mid-rebalance"
        case brokerDown = "with the broker down"
        var description: String { rawValue }
    }

    static let shutdownTimeout = 6
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test("SIGTERM exits 0 within --shutdown-timeout", arguments: State.allCases)
    func sigterm(in state: State) async throws {
        let broker = try WorkerProcessTests.Broker(logger: logger)
        try await broker.produce((0..<20_000).map(WorkerProcessTests.referral))
        let database = WorkerProcessTests.temporaryDatabase()
        let port = WorkerProcessTests.freePort()
        let worker = try notifier(broker, database: database, port: port)
        defer { if worker.process.isRunning { kill(worker.process.processIdentifier, SIGKILL) } }
        try await waitUntil("the worker to process records", [worker], timeout: .seconds(60)) {
            guard let text = await WorkerProcessTests.metrics(port: port) else { return false }
            return (try? PrometheusText.value(of: "mia_messages_processed_total", in: text)) ?? 0 >= 500
        }

        var blocker: DatabaseQueue?
        var others: [ChildProcess] = []
        defer { for other in others where other.process.isRunning { kill(other.process.processIdentifier, SIGKILL) } }
        switch state {
        case .midBatch:
            break
        case .midRetry:
            // Another connection takes the store's write lock: batches fail and wait for their retry.
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true  // the lock is held across accesses on purpose
            // The worker writes batches and relay marks: wait for a moment its lock is free, as a blocker would.
            configuration.busyMode = .timeout(30)
            let queue = try DatabaseQueue(path: database, configuration: configuration)
            try await queue.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            blocker = queue
            try await waitUntil("the worker to retry", [worker], timeout: .seconds(30)) {
                guard let text = await WorkerProcessTests.metrics(port: port) else { return false }
                return (try? PrometheusText.value(of: "mia_messages_retried_total", in: text)) ?? 0 > 0
            }
        case .midRebalance:
            // A second member joins; the development broker takes about five seconds to complete the rebalance.
            others.append(try notifier(broker, database: database, port: WorkerProcessTests.freePort()))
            try await Task.sleep(for: .seconds(2))
        case .brokerDown:
            for id in 1...Int32(broker.cluster.brokerCount) { broker.cluster.setBrokerDown(id) }
            try await Task.sleep(for: .seconds(2))
        }

        let started = ContinuousClock.now
        let status = try await worker.stop(signal: SIGTERM, timeout: .seconds(60))
        let took = ContinuousClock.now - started
        #expect(status == 0, "exit 0 after SIGTERM \(state)\n\(worker.stderr.suffix(3000))")
        // Within --shutdown-timeout in every state: a batch blocked on a locked SQLite store is left behind, and its
        // wait for the lock is cut short when the shutdown begins.
        #expect(took < .seconds(Self.shutdownTimeout), "\(state): within --shutdown-timeout, took \(took)")
        if let blocker { try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") } }
        for id in 1...Int32(broker.cluster.brokerCount) { broker.cluster.setBrokerUp(id) }
    }

    func notifier(_ broker: WorkerProcessTests.Broker, database: String, port: Int) throws -> ChildProcess {
        try ChildProcess(
            "mia-notifier",
            [
                "--bootstrap", broker.cluster.bootstrapServers, "--database", database, "--session-timeout-ms", "6000",
                "--log-format", "text", "--log-level", "warning", "--http-port", String(port),
                "--shutdown-timeout", String(Self.shutdownTimeout),
            ])
    }
}
