import Foundation
import MIAKafka

/// The steps of one `mia bench`, in order: input, publish, the replay set, each worker's consume run, latency,
/// then the table and `results.json`.
///
/// A step that fails marks its rows failed and the run goes on, so that the table always has every row.
struct BenchScenario {
    /// The options.
    let command: BenchCommand
    /// The processes and files.
    let runner: BenchRunner
    /// Where `results.json` goes.
    let outputDirectory: URL
    /// Whether a step failed.
    private(set) var failed = false

    init(command: BenchCommand, runner: BenchRunner, outputDirectory: URL) {
        self.command = command
        self.runner = runner
        self.outputDirectory = outputDirectory
    }

    /// Runs every step and prints the table.
    /// - Returns: Whether a step failed.
    mutating func run() async throws -> Bool {
        let begin = ContinuousClock.now
        let scale = command.effectiveScale
        let referrals = max(100, Int((Double(BenchCommand.referrals) * scale).rounded()))
        let replayEvents = max(100, Int((Double(BenchCommand.replayEvents) * scale).rounded()))
        let latencyDuration = Duration.milliseconds(Int(BenchCommand.latencySeconds * scale * 1000))
        var peer: PeerWorker?
        var peerMissing: String?
        if !command.peer.isEmpty {
            switch try await PeerWorker.locate(command.peer, runner: runner) {
            case .success(let found): peer = found
            case .failure(let unavailable): peerMissing = unavailable.reason
            }
        }
        let kcatVersion = try await runner.runToEnd("kcat-version", runner.kcat, ["-V"], timeout: .seconds(10))
        var report = BenchReport(
            machine: MachineFacts.current(kcatVersion: kcatVersion.process.output),
            settings: [
                "scale": String(format: "%g", scale), "partitions": String(command.partitions),
                "compression": "lz4", "consume fetch.wait.max.ms": "100",
                "latency fetch.wait.max.ms": String(command.latencyFetchWaitMs),
                "batch size": String(command.batchSize),
            ])
        step("MIAFlow benchmark: \(report.machine.summary)")

        let workers = BenchWorker.all().filter { command.only?.contains($0.name) ?? true }
        var available: [String: Bool] = [:]
        for worker in workers {
            available[worker.name] = try await runner.isWorker(runner.executable(worker.executable))
            if available[worker.name] != true { step("\(worker.executable) is a placeholder: not available") }
        }
        let measured = workers.filter { available[$0.name] == true }
        let needsReplay = measured.contains { $0.load.contains(where: \.isReplay) }

        step("generating \(BenchReport.grouped(referrals)) referrals" + (needsReplay ? " and the replay set" : ""))
        let seed = command.seed
        let directory = runner.dataDirectory
        var counts = try await offThePool {
            try BenchInput.writeMain(referrals: referrals, seed: seed, to: directory)
        }
        if needsReplay {
            let replay = try await offThePool {
                try BenchInput.writeReplay(events: replayEvents, seed: seed + 1, to: directory)
            }
            counts.merge(replay) { $1 }
        }

        step("publish: mia publish vs kcat -P")
        let otherSets = Set(measured.flatMap { $0.preload + $0.load }).filter { !$0.isReplay && $0 != .referrals }
        let publish = PublishBenchmark(
            runner: runner, referrals: referrals, otherSets: counts.filter { otherSets.contains($0.key) })
        let publishRows = try await attempt("publish", publish.plannedRows) { try await publish.run() }
        report.rows += publishRows
        let payloadsReady = publishRows.allSatisfy { $0.problem == nil }

        var replayReady = false
        if needsReplay && payloadsReady {
            step("the replay set: prepared as mia publish prepares it, for its final payloads")
            let replaySets = counts.filter(\.key.isReplay)
            let runner = self.runner
            replayReady = try await attempt("replay set", []) {
                try await BenchPayloads(runner: runner).prepareInProcess(replaySets)
                return []
            }.isEmpty
        }

        for (index, worker) in workers.enumerated() {
            var benchmark = ConsumeBenchmark(
                runner: runner, worker: worker, counts: counts, httpPort: command.httpPort.map { $0 + index },
                batchSize: command.batchSize,
                budget: command.consumeBudget > 0 ? .seconds(command.consumeBudget) : nil,
                memoryTargetEvents: BenchCommand.replayEvents,
                nominalEvents: worker.measurement == .replay ? replayEvents : referrals)
            benchmark.peer = peer
            let ready = payloadsReady && (!worker.load.contains(where: \.isReplay) || replayReady)
            let isAvailable = available[worker.name] == true
            step("\(worker.measurement.rawValue): \(worker.executable)")
            report.rows += try await attempt(worker.executable, benchmark.plannedRows) {
                guard ready || !isAvailable else { throw CommandFailure(part: worker.name, message: "no input") }
                return try await benchmark.run(available: isAvailable)
            }
        }

        // The latency run goes through mia-notifier.
        if command.only?.contains("notifier") ?? true {
            let latency = LatencyBenchmark(
                runner: runner, rate: BenchCommand.latencyRate, duration: latencyDuration,
                fetchWaitMaxMs: command.latencyFetchWaitMs, httpPort: command.httpPort.map { $0 + workers.count })
            step("latency: \(latency.count) referrals at \(BenchCommand.latencyRate)/s through mia-notifier")
            let notifierAvailable = available["notifier"] == true
            report.rows += try await attempt("latency", latency.plannedRows) {
                guard payloadsReady else { throw CommandFailure(part: "latency", message: "no input") }
                return try await latency.run(available: notifierAvailable)
            }
        }

        report.notes = Self.notes(
            referrals: referrals, latencyFetchWaitMs: command.latencyFetchWaitMs, rows: report.rows)
        report.notes.append(
            peerMissing.map { "python peer: not run: \($0)." }
                ?? (peer == nil
                    ? "python peer: not run (--peer is empty)."
                    : "python peer: \(command.peer) from process start to exit after committing the referral backlog "
                        + "(group join included, as for the workers); × peer is the worker's rate over the peer's."))
        report.elapsedSeconds = (ContinuousClock.now - begin).seconds
        StandardOutput.write("\n" + report.table)
        try report.write(to: outputDirectory)
        StandardOutput.write(
            "results: \(outputDirectory.appendingPathComponent("results.json").path); logs: \(runner.logDirectory.path)\n"
        )
        return failed
    }

    /// Runs a step; when it fails, says so and returns its rows marked failed.
    private mutating func attempt(
        _ part: String, _ planned: [BenchReport.Row], _ body: () async throws -> [BenchReport.Row]
    ) async throws -> [BenchReport.Row] {
        do {
            return try await body()
        } catch {
            try runner.checkInterrupted()
            failed = true
            StandardError.write("bench: \(part) failed: \(error)\n")
            var rows = planned
            for index in rows.indices { rows[index].problem = "failed (see logs)" }
            return rows.isEmpty
                ? [BenchReport.Row(id: part, label: part, unit: "", target: "-", problem: "failed")] : rows
        }
    }

    private func step(_ text: String) {
        StandardOutput.write("==> \(text)\n")
    }

    /// What each figure includes, printed under the table.
    static func notes(referrals: Int, latencyFetchWaitMs: Int, rows: [BenchReport.Row]) -> [String] {
        var notes = [
            "publish: wall clock from process start to exit; mia publish reads, validates and pseudonymises the "
                + "input file, kcat -P reads the final payloads; both with lz4, idempotence, acks=all, linger 5 ms.",
            "consume/replay: wall clock from a cold start (empty store, new group) until the group's committed "
                + "offsets reach the end of every input partition (polled every 250 ms); kcat -C -G until -e. Both "
                + "include the group join, which the development broker holds about 3 s.",
            "memory: VmHWM of the worker at the end of its run; measured at the run's volume, the target is stated "
                + "for 1,000,000 events.",
            "latency: CreateTime of the notification minus CreateTime of its referral (ms resolution, one clock); "
                + "mia-notifier with fetch.wait.max.ms=\(latencyFetchWaitMs), referrals published by MIAFlow's producer.",
            "every partition of every topic on each broker had low watermark 0 when its figures were taken "
                + "(a row says invalid otherwise).",
        ]
        for row in rows {
            if let processed = row.details["processed"], let events = row.details["events"], processed < events,
                let seconds = row.details["workerSeconds"]
            {
                notes.append(
                    "\(row.id): stopped at the consume budget after " + String(format: "%.0f", seconds) + " s with "
                        + BenchReport.grouped(Int(processed)) + " of " + BenchReport.grouped(Int(events))
                        + " events committed; the rate is over those (--consume-budget 0 runs to the end).")
            }
        }
        for row in rows {
            guard let statements = row.details["statementsPerEvent"] else { continue }
            let target = row.id == "consume.booker" ? " (target: 20 or fewer per anvisning)" : ""
            notes.append("\(row.id): " + String(format: "%.1f", statements) + " SQL statements per event\(target)")
        }
        for row in rows where row.id.hasPrefix("consume.") {
            if let worker = row.details["workerFirstCommitSeconds"], let kcat = row.details["kcatFirstRecordSeconds"] {
                notes.append(
                    "\(row.id): first commit after " + String(format: "%.1f", worker)
                        + " s (kcat: first record after " + String(format: "%.1f", kcat) + " s)")
            }
        }
        return notes
    }
}
