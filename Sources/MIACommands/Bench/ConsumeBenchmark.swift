import Foundation
import MIAContracts
import MIAKafka

/// Consume (and replay): one worker processes a backlog from a cold start until its group has no lag, next to
/// `kcat -C -G` reading the same topics to the end; and the worker's peak RSS over the run.
///
/// Each worker gets a fresh broker holding exactly its ``BenchWorker/load`` (put there with `kcat -P`) and an
/// empty store. Both clients are timed from process start, so both include the group join (the development broker
/// holds the first join about 3 s); the time to the first record is reported too. The worker is done when the
/// committed offsets of its group, read from outside every 250 ms, reach the end of every input partition.
struct ConsumeBenchmark {
    /// The runner whose processes and directories are used.
    let runner: BenchRunner
    /// The worker.
    let worker: BenchWorker
    /// Records per set, to check the broker got them all.
    let counts: [BenchDataset: Int]
    /// The HTTP port of the worker's /metrics, if it serves one.
    let httpPort: Int?
    /// The `--batch-size` of the worker.
    let batchSize: Int
    /// The longest the measured run may take; a worker still behind then is stopped and measured over what it
    /// committed. `nil`: until the end.
    let budget: Duration?
    /// The volume the memory target is stated for.
    let memoryTargetEvents: Int

    /// The target of a consume run: at least a quarter of the raw rate.
    static let targetRatio = 0.25
    /// The target of a replay: events per second.
    static let targetReplayRate = 100_000.0
    /// The target of peak RSS, in MB.
    static let targetPeakMB = 150.0

    /// The Python peer worker, run over the same referral backlog on the same broker; nil when it is not run.
    var peer: PeerWorker? = nil

    /// The volume a run is planned for, shown while its input is not generated (a placeholder worker).
    let nominalEvents: Int

    /// The records of the worker's backlog.
    var events: Int { worker.load.reduce(0) { $0 + (counts[$1] ?? 0) } }

    /// The backlog as labelled.
    private var volume: String {
        events > 0 ? BenchReport.grouped(events) : "about \(BenchReport.grouped(nominalEvents))"
    }

    /// The rows of this worker without figures: its rate, and its peak RSS.
    var plannedRows: [BenchReport.Row] {
        let memory = BenchReport.Row(
            id: "memory.\(worker.name)", label: "peak RSS \(worker.executable) (\(volume) events)",
            unit: "MB", target: "< \(Int(Self.targetPeakMB)) MB at \(BenchReport.grouped(memoryTargetEvents))")
        return [rateRow(events: events), memory]
    }

    /// The rows of this worker: its rate, and its peak RSS.
    func run(available: Bool) async throws -> [BenchReport.Row] {
        let events = self.events
        var rate = plannedRows[0]
        var memory = plannedRows[1]
        guard available else {
            rate.problem = "not available (placeholder executable)"
            memory.problem = rate.problem
            return [rate, memory]
        }

        let broker = try await runner.startBroker("\(worker.name)-broker")
        let store = runner.dataDirectory.appendingPathComponent("\(worker.name).sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
        let preloaded = try await load(worker.preload, kafka: broker.kafka, before: 0)
        if preloaded > 0 {
            _ = try await workerRun(kafka: broker.kafka, store: store, expected: Int64(preloaded), name: "preload")
        }
        let total = try await load(worker.load, kafka: broker.kafka, before: preloaded)

        if worker.measurement == .consume {
            // kcat's new group reads what the worker's group read before, too.
            let raw = try await kcatConsume(kafka: broker.kafka, expected: total)
            rate.raw = Double(total) / raw.elapsed.seconds
            rate.details["kcatSeconds"] = raw.elapsed.seconds
            rate.details["kcatFirstRecordSeconds"] = raw.firstRecord.seconds
            // The peer does one output per referral: comparable where the backlog is the referrals alone.
            if let peer, worker.load == [.referrals], let referrals = counts[.referrals] {
                let elapsed = try await peer.run(
                    runner: runner, name: "peer-worker-\(worker.name)", bootstrap: broker.kafka.bootstrapServers,
                    topic: TopicRegistry.referral, count: referrals)
                rate.peer = Double(referrals) / elapsed.seconds
                rate.details["peerSeconds"] = elapsed.seconds
            }
        }
        let run = try await workerRun(
            kafka: broker.kafka, store: store, expected: Int64(total), before: Int64(preloaded), budget: budget)
        let processed = min(events, run.processed)
        rate.value = Double(processed) / run.elapsed.seconds
        rate.details["processed"] = Double(processed)
        if processed < events {
            rate.label = "\(rate.label.prefix { $0 != "(" })(\(BenchReport.grouped(processed)) of \(volume) events)"
            memory.label = "\(memory.label.prefix { $0 != "(" })(\(BenchReport.grouped(processed)) of \(volume) events)"
        }
        rate.details["workerSeconds"] = run.elapsed.seconds
        if let statements = run.statements, processed > 0 {
            rate.details["statementsPerEvent"] = Double(statements) / Double(processed)
        }
        rate.details["workerFirstCommitSeconds"] = run.firstCommit.seconds
        rate.details["events"] = Double(events)
        memory.value = run.peakBytes.map { Double($0) / 1_000_000 }
        memory.met = memory.value.map { $0 < Self.targetPeakMB }
        switch worker.measurement {
        case .consume: rate.met = rate.ratio.map { $0 >= Self.targetRatio }
        case .replay: rate.met = rate.value.map { $0 >= Self.targetReplayRate }
        }

        // Before a figure is reported: nothing on the broker (inputs or outputs) was dropped by its size cap.
        let after = try await runner.watermarks(try await runner.allTopics(kafka: broker.kafka), kafka: broker.kafka)
        await runner.stop(broker.process)
        if !after.dropped.isEmpty {
            rate.problem = "invalid: broker dropped records (\(after.dropped[0]))"
            memory.problem = rate.problem
        }
        if !run.exitedCleanly { rate.problem = rate.problem ?? "figure ok, but the worker did not exit cleanly" }
        return [rate, memory]
    }

    private func rateRow(events: Int) -> BenchReport.Row {
        switch worker.measurement {
        case .consume:
            BenchReport.Row(
                id: "consume.\(worker.name)",
                label: "consume \(worker.executable) (\(volume) events)", unit: "msg/s",
                target: ">= \(Int(Self.targetRatio * 100)) % of kcat -C")
        case .replay:
            BenchReport.Row(
                id: "replay.\(worker.name)",
                label: "replay \(worker.executable) (\(volume) events)", unit: "events/s",
                target: ">= \(BenchReport.grouped(Int(Self.targetReplayRate))) events/s")
        }
    }

    /// Puts record sets on the broker with `kcat -P` and checks that the worker's input topics hold exactly
    /// `before` plus their records, none dropped.
    /// - Returns: The records on the input topics.
    private func load(_ datasets: [BenchDataset], kafka: KafkaConfiguration, before: Int) async throws -> Int {
        guard !datasets.isEmpty else { return before }
        for dataset in datasets {
            try await runner.load(dataset, kafka: kafka, name: "kcat-load-\(worker.name)-\(dataset.name)")
        }
        let expected = before + datasets.reduce(0) { $0 + (counts[$1] ?? 0) }
        let loaded = try await runner.watermarks(worker.inputs, kafka: kafka)
        let total = Int(loaded.records.values.reduce(0, +))
        guard loaded.dropped.isEmpty, total == expected else {
            throw CommandFailure(
                part: "loading \(worker.name)'s input",
                message: "\(total) of \(expected) records, dropped: \(loaded.dropped.prefix(3))")
        }
        return total
    }

    /// `kcat -C -G` over the worker's input topics until the end of every partition (`-e`), one output line per
    /// record.
    private func kcatConsume(kafka: KafkaConfiguration, expected: Int) async throws -> (
        elapsed: Duration, firstRecord: Duration
    ) {
        let arguments =
            [
                "-C", "-b", kafka.bootstrapServers, "-G", "kcat-\(worker.name)", "-X", "auto.offset.reset=earliest",
                "-X", "partition.assignment.strategy=range", "-X", "session.timeout.ms=6000", "-e", "-q", "-f", "%p\\n",
            ]
        let begin = ContinuousClock.now
        let process = try runner.start("kcat-consume-\(worker.name)", runner.kcat, arguments + worker.inputs)
        var firstRecord: Duration?
        let deadline = begin + .seconds(900)
        while process.isRunning {
            try runner.checkInterrupted()
            if firstRecord == nil,
                (try? FileManager.default.attributesOfItem(atPath: process.log.path)[.size] as? Int)
                    ?? 0 > 0
            {
                firstRecord = ContinuousClock.now - begin
            }
            guard ContinuousClock.now < deadline else {
                await runner.stop(process)
                throw CommandFailure(part: process.name, message: "did not reach the end", log: process.log.path)
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        let elapsed = ContinuousClock.now - begin
        let lines = process.output.split(separator: "\n").count
        guard process.exitStatus == 0, lines == expected else {
            throw CommandFailure(
                part: process.name, message: "read \(lines) of \(expected) records (\(process.termination))",
                log: process.log.path)
        }
        return (elapsed, firstRecord ?? elapsed)
    }

    /// Starts the worker and waits until its group has committed every input record, or until `budget`.
    /// `before` records were committed by an earlier run; the first commit is the first beyond them.
    private func workerRun(
        kafka: KafkaConfiguration, store: URL, expected: Int64, before: Int64 = 0, name: String? = nil,
        budget: Duration? = nil
    ) async throws
        -> (
            elapsed: Duration, firstCommit: Duration, processed: Int, peakBytes: Int64?, exitedCleanly: Bool,
            statements: Int?
        )
    {
        let begin = ContinuousClock.now
        let process = try runner.start(
            [worker.executable, name].compactMap { $0 }.joined(separator: "-"), runner.executable(worker.executable),
            [
                "--bootstrap", kafka.bootstrapServers, "--database", store.path,
                "--session-timeout-ms", "6000", "--fetch-wait-max-ms", "100", "--batch-size", String(batchSize),
                "--log-format", "json",
            ] + (httpPort.map { ["--http-port", String($0)] } ?? []) + worker.arguments)
        var firstCommit: Duration?
        var peak: Int64?
        var committed = before
        let deadline = begin + .seconds(1800)
        while true {
            try runner.checkInterrupted()
            guard process.isRunning else {
                throw CommandFailure(
                    part: process.name, message: "exited: \(process.termination)", log: process.log.path)
            }
            peak = process.peakResidentBytes ?? peak
            let progress = try await runner.progress(group: worker.name, topics: worker.inputs, kafka: kafka)
            if firstCommit == nil, progress.committed > before { firstCommit = ContinuousClock.now - begin }
            committed = progress.committed
            if progress.committed >= expected, progress.lag == 0 { break }
            if let budget, ContinuousClock.now - begin >= budget { break }
            guard ContinuousClock.now < deadline else {
                throw CommandFailure(
                    part: process.name, message: "lag \(progress.lag) after \(deadline - begin)", log: process.log.path)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let elapsed = ContinuousClock.now - begin
        peak = process.peakResidentBytes ?? peak
        let clean = await runner.stop(process)
        return (
            elapsed, firstCommit ?? elapsed, Int(committed - before), peak, clean, Self.statements(in: process.output)
        )
    }

    /// The SQL statements the worker reported having run, in its last log line ("worker stopped").
    static func statements(in log: String) -> Int? {
        for line in log.split(separator: "\n").reversed() where line.contains("worker stopped") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let text = object["statements"] as? String
            else { continue }
            return Int(text)
        }
        return nil
    }
}
