import ArgumentParser
import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIASimulation
import MIAWorkerRuntime

/// `mia demo`: the whole system on one machine, end to end.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole system end to end on the development broker, and summarise what it did.",
        discussion: """
            1. starts `mia devbroker` (3 mock brokers on loopback) with every registry topic;
            2. starts mia-capacity (two replicas sharing one store), mia-booker, mia-stats and mia-notifier as \
            separate processes, each with its own store under --data;
            3. simulates a programme (`mia simulate`, 2017-2020, with 2 % faulty records) and publishes it with \
            `mia publish`: ASF capacity first, then busy periods, anvisningar, follow-ups and outcomes. The \
            faulty records that `mia publish` rejects are also put straight on the topics, as a careless \
            integration would, to show the workers dead-lettering them;
            4. shows each worker's progress (records committed, lag, dead letters) until no group has lag;
            5. prints a summary computed from the topics: notifications, meetings, ASF occupancy, the ESF \
            headline, dead letters by reason;
            6. writes to --output: summary.json, report.html and statistics.csv (the statistics), the meeting \
            invitations as .ics files, and every process's log under logs/;
            7. stops everything with SIGTERM and checks that each process exited cleanly.

            A failure anywhere stops the demo with the part that failed and its log. With --keep-running \
            everything stays up after step 6 (the bootstrap and the /metrics URLs are printed) until Ctrl-C.
            The executables are taken from --bin, by default the directory this `mia` runs from.
            """)

    @Option(help: "Participants to simulate.")
    var participants = 2500

    @Option(help: "The simulation's seed.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The share of faulty records, 0...1.", valueName: "share"))
    var faultRate = SimulationConfiguration.defaultFaultRate

    @Flag(help: "Leave everything running after the summary, until Ctrl-C.")
    var keepRunning = false

    @Option(help: ArgumentHelp("The directory of the stores and the simulated input.", valueName: "dir"))
    var data = "demo-data"

    @Option(help: ArgumentHelp("The directory of the report, the summary and the logs.", valueName: "dir"))
    var output = "demo-output"

    @Option(help: ArgumentHelp("The directory of the mia-* executables (default: next to this mia).", valueName: "dir"))
    var bin: String?

    @Option(help: ArgumentHelp("The booker's staff configuration.", valueName: "path"))
    var bookerConfig = "config/booker.json"

    @Option(
        help: ArgumentHelp(
            "The workers' stores: sqlite (one file per worker under --data) or a PostgreSQL URL postgres://user@host:port/db (one schema per worker, demo_<worker>, emptied first).",
            valueName: "sqlite|url"))
    var database = "sqlite"

    @Option(help: ArgumentHelp("The first HTTP port; the workers get consecutive ports.", valueName: "port"))
    var httpPort = 9101

    @Option(help: ArgumentHelp("How long the workers may take to catch up.", valueName: "seconds"))
    var timeout = 600

    func validate() throws {
        guard participants > 0 else { throw ValidationError("--participants must be at least 1") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        guard database == "sqlite" || PostgresStore.isPostgresURL(database) else {
            throw ValidationError("--database must be sqlite or a postgres:// URL")
        }
        guard FileManager.default.fileExists(atPath: bookerConfig) else {
            throw ValidationError("no booker configuration at \(bookerConfig); pass --booker-config")
        }
    }

    func run() async throws {
        let shutdown = ShutdownSignal.install()
        var demo = try DemoRun(command: self, shutdown: shutdown)
        do {
            try await demo.run()
        } catch let failure as CommandFailure {
            StandardError.write("demo failed: \(failure)\n")
            _ = await demo.stopAll()
            throw ExitCode(1)
        } catch {
            StandardError.write("demo failed: \(error)\n")
            _ = await demo.stopAll()
            throw ExitCode(1)
        }
    }
}

/// One run of the demo: the steps, and the processes started so far.
struct DemoRun {
    let command: DemoCommand
    let shutdown: ShutdownSignal
    let binDirectory: URL
    let dataDirectory: URL
    let outputDirectory: URL
    let logDirectory: URL
    let pseudonymKey: String
    /// Processes in start order; stopped in reverse.
    private(set) var processes: [ManagedProcess] = []
    private var summary = DemoSummary()

    init(command: DemoCommand, shutdown: ShutdownSignal) throws {
        self.command = command
        self.shutdown = shutdown
        binDirectory =
            command.bin.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        dataDirectory = URL(fileURLWithPath: command.data, isDirectory: true)
        outputDirectory = URL(fileURLWithPath: command.output, isDirectory: true)
        logDirectory = outputDirectory.appendingPathComponent("logs", isDirectory: true)
        pseudonymKey =
            ProcessInfo.processInfo.environment[Pseudonymizer.keyEnvironmentVariable]
            ?? (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    mutating func run() async throws {
        let files = FileManager.default
        for directory in [dataDirectory, outputDirectory] where files.fileExists(atPath: directory.path) {
            try files.removeItem(at: directory)
        }
        try files.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        try files.createDirectory(at: dataDirectory, withIntermediateDirectories: true)

        step("1. the development broker (log: \(logDirectory.path)/devbroker.log)")
        let kafka = try await startBroker()
        let workers = DemoWorker.all(bookerConfiguration: command.bookerConfig)

        step("2. the workers, each with its own store under \(dataDirectory.path)/")
        try await startWorkers(workers)

        // Replicas joining a group wait out a session timeout before the rebalance completes; publishing
        // after that keeps the input in its natural order (anvisningar before their outcomes).
        print("    waiting for the consumer groups to settle")
        try await Task.sleep(for: .seconds(8))

        step("3. a simulated programme: \(command.participants) participants, seed \(command.seed)")
        let simulation = try simulate()
        // Outcomes come last, as they do in life: months after their anvisningar. Publishing them only once the
        // workers have caught up keeps every anvisning ahead of its slutdokumentation, so the booker books
        // it (an outcome that arrives first cancels the booking before it is made).
        try await publish(simulation, kinds: SimulationOutput.publishOrder.filter { $0 != .outcome })
        try await injectFaults(of: simulation, kafka: kafka)

        step("4. waiting for every worker to catch up")
        try await waitForWorkers(workers, kafka: kafka)
        print("    then the slutdokumentation:")
        try await publish(simulation, kinds: [.outcome])
        try await waitForWorkers(workers, kafka: kafka)

        step("5. summary (from the topics)")
        let records = try await TopicReader(kafka: kafka).readAll(
            [
                TopicRegistry.notification, TopicRegistry.meeting, TopicRegistry.placement, TopicRegistry.asfStatus,
                TopicRegistry.statistics,
            ] + workers.map(\.deadLetterTopic))
        summary.add(records: records)
        print(summary.text, terminator: "")

        step("6. writing \(outputDirectory.path)/")
        try writeArtifacts(records: records)

        if command.keepRunning {
            print("==> everything keeps running: MIA_KAFKA_BOOTSTRAP=\(kafka.bootstrapServers)")
            for (index, process) in processes.enumerated() where process.name.hasPrefix("mia-") {
                print("    \(process.name): http://127.0.0.1:\(command.httpPort + index - 1)/metrics")
            }
            print("    press Ctrl-C to stop")
            _ = await shutdown.wait()
        }

        step("7. stopping everything with SIGTERM")
        guard await stopAll() else {
            throw CommandFailure(part: "shutdown", message: "a process did not exit cleanly (see above)")
        }
        print("==> done: \(outputDirectory.path)/report.html, statistics.csv, summary.json, invitations/, logs/")
    }

    // MARK: Steps

    private func step(_ text: String) {
        print("==> \(text)")
    }

    private mutating func startBroker() async throws -> KafkaConfiguration {
        let bootstrapFile = outputDirectory.appendingPathComponent("bootstrap")
        let broker = try start(
            "devbroker", "mia", ["devbroker", "--bootstrap-file", bootstrapFile.path])
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? String(contentsOf: bootstrapFile, encoding: .utf8))?.isEmpty ?? true {
            guard broker.isRunning, ContinuousClock.now < deadline else {
                throw CommandFailure(part: "mia devbroker", message: "did not start", log: broker.log.path)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let bootstrap = try String(contentsOf: bootstrapFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        setenv("MIA_KAFKA_BOOTSTRAP", bootstrap, 1)
        let kafka = try KafkaConfiguration.fromEnvironment(bootstrap: bootstrap, clientId: "mia-demo")
        let topics = try KafkaAdmin(configuration: kafka, logger: CommandLogging.logger("mia.demo")).listTopics()
        let missing = TopicRegistry.default.topics.map(\.name).filter { topics[$0] == nil }
        guard missing.isEmpty else {
            throw CommandFailure(
                part: "mia devbroker", message: "topics missing: \(missing.joined(separator: ", "))",
                log: broker.log.path)
        }
        print("    bootstrap \(bootstrap); \(topics.count) topics")
        return kafka
    }

    private mutating func startWorkers(_ workers: [DemoWorker]) async throws {
        var port = command.httpPort
        for worker in workers {
            let store = try await emptyStore(of: worker)
            for replica in 1...worker.replicas {
                let name = worker.replicas == 1 ? worker.executable : "\(worker.executable)-\(replica)"
                let process = try start(
                    name, worker.executable,
                    [
                        "--database", store, "--http-port", String(port), "--session-timeout-ms", "6000",
                        "--log-format", "json",
                    ] + worker.arguments)
                print("    \(name): store \(store), http://127.0.0.1:\(port)/metrics")
                port += 1
                // The first replica creates the store's tables before the next one opens it.
                try await Task.sleep(for: .seconds(1))
                guard process.isRunning else {
                    throw CommandFailure(
                        part: name, message: "exited at start: \(process.termination)", log: process.log.path)
                }
            }
        }
    }

    /// The worker's store location, empty: a new SQLite file, or its PostgreSQL schema dropped.
    private func emptyStore(of worker: DemoWorker) async throws -> String {
        guard command.database != "sqlite" else {
            return dataDirectory.appendingPathComponent("\(worker.name).sqlite").path
        }
        let url =
            command.database + (command.database.contains("?") ? "&" : "?") + "schema=demo_\(worker.name)"
        do {
            let store = try PostgresStore(url: url)
            try await store.dropSchema()
            await store.close()
        } catch {
            throw CommandFailure(part: "PostgreSQL at \(command.database)", message: "\(error)")
        }
        return url
    }

    private func simulate() throws -> SimulationOutput {
        guard let from = CalendarDate("2017-01-01"), let to = CalendarDate("2020-08-31") else {
            preconditionFailure("constant dates")
        }
        let configuration = SimulationConfiguration(
            participants: command.participants, from: from, to: to, seed: command.seed, faultRate: command.faultRate)
        let output = try ProgrammeSimulator(configuration: configuration).run()
        try output.write(to: dataDirectory.appendingPathComponent("simulation", isDirectory: true))
        return output
    }

    private mutating func publish(_ simulation: SimulationOutput, kinds: [InputRecordKind]) async throws {
        for kind in kinds {
            let file = dataDirectory.appendingPathComponent("simulation").appendingPathComponent(
                SimulationOutput.fileName(of: kind))
            let process = try start(
                "publish-\(kind.rawValue)", "mia", ["publish", kind.rawValue, file.path, "--skip-invalid"])
            try await process.waitForExit(timeout: .seconds(600))
            let log = (try? String(contentsOf: process.log, encoding: .utf8)) ?? ""
            // Exit status 1 means some records were rejected, which the faulty ones are.
            guard process.exitedCleanly || process.termination == "exit status 1",
                let count = Self.publishCount(log)
            else {
                throw CommandFailure(
                    part: "mia publish \(kind.rawValue)", message: "failed (\(process.termination))",
                    log: process.log.path)
            }
            summary.published[kind.rawValue] = count
            print("    \(kind.rawValue): \(count.published) published, \(count.rejected) rejected")
        }
    }

    /// The counts from `mia publish`'s summary line: `published 2480, rejected 20 (referral.ndjson)`.
    static func publishCount(_ log: String) -> DemoSummary.PublishCount? {
        for line in log.split(separator: "\n").reversed() where line.hasPrefix("published ") {
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            if numbers.count >= 2 { return DemoSummary.PublishCount(published: numbers[0], rejected: numbers[1]) }
            if numbers.count == 1 { return DemoSummary.PublishCount(published: numbers[0], rejected: 0) }
        }
        return nil
    }

    private mutating func injectFaults(of simulation: SimulationOutput, kafka: KafkaConfiguration) async throws {
        let pseudonymizer = try Pseudonymizer(keyText: pseudonymKey)
        let preparer = InputRecordPreparer(
            pseudonymizer: pseudonymizer,
            referenceDate: .todayInStockholm())
        let faulty = DemoFaultInjection.records(of: simulation, preparer: preparer)
        guard !faulty.isEmpty else { return }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: kafka), logger: CommandLogging.logger("mia.demo"))
        let results = await producer.send(
            faulty.map { KafkaProducerMessage(topic: $0.topic, key: Array($0.key), value: Array($0.value)) })
        await producer.close()
        for case .failure(let error) in results {
            throw CommandFailure(part: "putting faulty records on the topics", message: error.message)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let lines = try faulty.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(
            to: outputDirectory.appendingPathComponent("injected-faults.ndjson"), atomically: true, encoding: .utf8)
        summary.injectedFaults = faulty.count
        print("    \(faulty.count) faulty records put straight on the topics (listed in injected-faults.ndjson)")
    }

    private func waitForWorkers(_ workers: [DemoWorker], kafka: KafkaConfiguration) async throws {
        let outputTopics = [
            TopicRegistry.meeting, TopicRegistry.placement, TopicRegistry.asfStatus, TopicRegistry.notification,
            TopicRegistry.statistics,
        ]
        let started = ContinuousClock.now
        let deadline = started + .seconds(command.timeout)
        var quietRounds = 0
        var previous: WorkersSnapshot?
        var lastPrint = ContinuousClock.now - .seconds(10)
        while true {
            try checkAlive()
            if shutdown.isTriggered { throw CommandFailure(part: "demo", message: "interrupted") }
            let snapshot = try WorkersSnapshot.read(
                groups: workers.map { ($0.name, $0.inputs) }, topics: outputTopics + workers.map(\.deadLetterTopic),
                kafka: kafka)
            let lines = workers.map { worker in
                let progress = snapshot.progress[worker.name] ?? GroupProgress(committed: 0, available: 0)
                let dead = snapshot.records[worker.deadLetterTopic] ?? 0
                return
                    "\(worker.executable.padding(toLength: 13, withPad: " ", startingAt: 0)) processed \(progress.committed) of \(progress.available), lag \(progress.lag), dead letters \(dead)"
            }
            // Done when no group has lag and the outputs stopped growing (outbox relays and the statistics
            // publisher have caught up) for five checks in a row.
            quietRounds = snapshot.isQuiet(after: previous) ? quietRounds + 1 : 0
            previous = snapshot
            if ContinuousClock.now - lastPrint >= .seconds(3) || quietRounds >= 5 {
                let elapsed = (ContinuousClock.now - started).components.seconds
                print("    [\(elapsed) s]\n" + lines.map { "      \($0)" }.joined(separator: "\n"))
                lastPrint = .now
            }
            if quietRounds >= 5 { return }
            guard ContinuousClock.now < deadline else {
                throw CommandFailure(
                    part: "waiting for the workers",
                    message: "still lagging after \(command.timeout) s: \(lines.joined(separator: "; "))",
                    log: logDirectory.path)
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    private func writeArtifacts(records: [KafkaConsumerMessage]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summary).write(to: outputDirectory.appendingPathComponent("summary.json"))
        let invitations = try DemoArtifacts.writeInvitations(
            from: records, to: outputDirectory.appendingPathComponent("invitations", isDirectory: true))
        print("    \(invitations) meeting invitations (.ics) in invitations/")
        let cells = try DemoArtifacts.writeStatistics(from: records, to: outputDirectory)
        print("    \(cells) statistics cells in statistics.csv; the report in report.html")
    }

    // MARK: Processes

    private mutating func start(_ name: String, _ executable: String, _ arguments: [String]) throws -> ManagedProcess {
        let path = binDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: path.path) else {
            throw CommandFailure(
                part: name, message: "no executable \(path.path); build first (make release) or pass --bin")
        }
        let process = try ManagedProcess(
            name: name, executable: path, arguments: arguments,
            environment: [
                Pseudonymizer.keyEnvironmentVariable: pseudonymKey, "MIA_LOG_LEVEL": "info",
            ],
            log: logDirectory.appendingPathComponent("\(name).log"))
        processes.append(process)
        return process
    }

    /// Fails when a long-running process has died.
    private func checkAlive() throws {
        for process in processes where !process.name.hasPrefix("publish-") && !process.isRunning {
            throw CommandFailure(part: process.name, message: "exited: \(process.termination)", log: process.log.path)
        }
    }

    /// Stops the running processes in reverse start order (workers before the broker).
    /// - Returns: Whether every one exited cleanly.
    mutating func stopAll() async -> Bool {
        var clean = true
        for process in processes.reversed() where !process.name.hasPrefix("publish-") {
            let wasRunning = process.isRunning
            let ok = await process.terminate(timeout: .seconds(40))
            if wasRunning && ok {
                print("    \(process.name) stopped cleanly")
            } else {
                print("    \(process.name): \(process.termination) (log: \(process.log.path))")
                clean = false
            }
        }
        processes.removeAll()
        return clean
    }
}

/// The demo's `print`: unbuffered, so that progress shows as it happens even when standard output is a file or
/// a pipe (Swift's `print` buffers those until exit).
private func print(_ text: String, terminator: String = "\n") {
    StandardOutput.write(text + terminator)
}
