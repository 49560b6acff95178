import Foundation
import Logging
import MIAContracts
import MIAKafka

/// Runs the parts of one `mia bench`: development brokers, workers, `mia publish` and `kcat` as child processes
/// with their logs, the record sets on disk, and the checks that the broker dropped nothing.
///
/// Every process it starts is stopped by ``stopAll()`` (workers before brokers), also when a step fails.
final class BenchRunner {
    /// The directory of `mia` and the `mia-*` workers.
    let binDirectory: URL
    /// The stores, the simulated input and the payload files.
    let dataDirectory: URL
    /// One log per process.
    let logDirectory: URL
    /// `kcat`.
    let kcat: URL
    /// The pseudonym key given to `mia publish`.
    let pseudonymKey: String
    /// Partitions of every topic on the bench's brokers.
    let partitions: Int
    /// Aborts waits when SIGINT or SIGTERM arrives.
    let shutdown: ShutdownSignal
    private var processes: [ManagedProcess] = []
    private var started = 0

    /// The librdkafka properties of the `kcat` producer: those of MIAFlow's ``KafkaProducer`` (idempotent,
    /// `acks=all`, lz4, 5 ms linger), so that both publish the same way.
    static let kcatProducerProperties = [
        "enable.idempotence=true", "acks=all", "compression.codec=lz4", "linger.ms=5",
        "queue.buffering.max.messages=500000",
    ]

    init(
        binDirectory: URL, dataDirectory: URL, logDirectory: URL, kcat: URL, pseudonymKey: String, partitions: Int,
        shutdown: ShutdownSignal
    ) {
        self.binDirectory = binDirectory
        self.dataDirectory = dataDirectory
        self.logDirectory = logDirectory
        self.kcat = kcat
        self.pseudonymKey = pseudonymKey
        self.partitions = partitions
        self.shutdown = shutdown
    }

    // MARK: Processes

    /// Starts a program; its log is `logs/<n>-<name>.log`; `input`, if given, is its standard input.
    func start(
        _ name: String, _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        input: URL? = nil
    ) throws -> ManagedProcess {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw CommandFailure(
                part: name, message: "no executable \(executable.path); build first (make release) or pass --bin")
        }
        started += 1
        let log = logDirectory.appendingPathComponent(String(format: "%02d-", started) + name + ".log")
        let process = try ManagedProcess(
            name: name, executable: executable, arguments: arguments,
            environment: [Pseudonymizer.keyEnvironmentVariable: pseudonymKey].merging(environment) { $1 }, log: log,
            input: input)
        processes.append(process)
        return process
    }

    /// The path of `mia` or a worker in the bin directory.
    func executable(_ name: String) -> URL { binDirectory.appendingPathComponent(name) }

    /// Runs a program to its end and returns it with the wall-clock time from start to exit.
    /// - Throws: ``CommandFailure`` when it does not end within `timeout` or exits with another status than
    ///   `acceptedStatus`.
    func runToEnd(
        _ name: String, _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        input: URL? = nil, timeout: Duration, acceptedStatus: Set<Int32> = [0]
    ) async throws -> (process: ManagedProcess, elapsed: Duration, peakBytes: Int64?) {
        let begin = ContinuousClock.now
        let process = try start(name, executable, arguments, environment: environment, input: input)
        let peak = try await waitForExit(process, timeout: timeout)
        let elapsed = ContinuousClock.now - begin
        guard acceptedStatus.contains(process.exitStatus) else {
            throw CommandFailure(part: name, message: "failed: \(process.termination)", log: process.log.path)
        }
        return (process, elapsed, peak)
    }

    /// Waits for a process to end by itself, polling often so that short runs are timed closely.
    /// - Returns: Its peak resident set size as last seen while it ran.
    @discardableResult
    func waitForExit(_ process: ManagedProcess, timeout: Duration) async throws -> Int64? {
        let deadline = ContinuousClock.now + timeout
        var peak: Int64?
        while process.isRunning {
            peak = process.peakResidentBytes ?? peak
            try checkInterrupted()
            guard ContinuousClock.now < deadline else {
                _ = await process.terminate(timeout: .seconds(5))
                throw CommandFailure(
                    part: process.name, message: "did not finish within \(timeout)", log: process.log.path)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return peak
    }

    /// Fails when SIGINT or SIGTERM arrived.
    func checkInterrupted() throws {
        if shutdown.isTriggered { throw CommandFailure(part: "bench", message: "interrupted") }
    }

    /// Stops one process with SIGTERM and forgets it.
    /// - Returns: Whether it exited with status 0 in time.
    @discardableResult
    func stop(_ process: ManagedProcess) async -> Bool {
        let clean = await process.terminate(timeout: .seconds(40))
        processes.removeAll { $0 === process }
        return clean
    }

    /// Stops every running process in reverse start order.
    func stopAll() async {
        for process in processes.reversed() { _ = await process.terminate(timeout: .seconds(40)) }
        processes.removeAll()
    }

    // MARK: Brokers

    /// Starts a development broker with every registry topic at ``partitions`` partitions.
    /// - Returns: The broker process and how to connect to it.
    func startBroker(_ name: String) async throws -> (process: ManagedProcess, kafka: KafkaConfiguration) {
        let bootstrapFile = dataDirectory.appendingPathComponent("\(name).bootstrap")
        try? FileManager.default.removeItem(at: bootstrapFile)
        let broker = try start(
            name, executable("mia"),
            [
                "devbroker", "--partitions", String(partitions), "--other-partitions", String(partitions),
                // The Python peer's output topic, which would otherwise be created on first use with 4 partitions
                // and drop records beyond the mock's size cap.
                "--topic", PeerWorker.outputTopic, "--bootstrap-file", bootstrapFile.path,
            ])
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? String(contentsOf: bootstrapFile, encoding: .utf8))?.isEmpty ?? true {
            guard broker.isRunning, ContinuousClock.now < deadline else {
                throw CommandFailure(part: name, message: "did not start", log: broker.log.path)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let bootstrap = try String(contentsOf: bootstrapFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return (broker, KafkaConfiguration(bootstrapServers: bootstrap, clientId: "mia-bench"))
    }

    // MARK: Records

    /// The payload file of a record set: one `key<TAB>CloudEvent` line per record, as `kcat -P -K '\t'` reads.
    func payloadFile(_ dataset: BenchDataset) -> URL {
        dataDirectory.appendingPathComponent("\(dataset.name).payloads")
    }

    /// Writes records as a payload file: those read back from a topic, or prepared in this process.
    /// - Returns: How many records were written.
    @discardableResult
    func writePayloads(_ records: [(key: [UInt8]?, value: [UInt8])], to dataset: BenchDataset) throws -> Int {
        var data = Data()
        data.reserveCapacity(records.reduce(0) { $0 + $1.value.count + ($1.key?.count ?? 0) + 2 })
        for record in records {
            // Tabs and newlines cannot occur: keys are participant references, values compact JSON.
            data.append(contentsOf: record.key ?? [])
            data.append(UInt8(ascii: "\t"))
            data.append(contentsOf: record.value)
            data.append(UInt8(ascii: "\n"))
        }
        try data.write(to: payloadFile(dataset))
        return records.count
    }

    /// The number of records in a payload file.
    func payloadCount(_ dataset: BenchDataset) throws -> Int {
        try Data(contentsOf: payloadFile(dataset)).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    /// Puts a payload file on its topic with `kcat -P` (the producer settings of MIAFlow's own producer).
    /// - Returns: The wall-clock time `kcat` took, from start to exit.
    @discardableResult
    func load(_ dataset: BenchDataset, kafka: KafkaConfiguration, name: String, timeout: Duration = .seconds(600))
        async throws -> Duration
    {
        var arguments = ["-P", "-b", kafka.bootstrapServers, "-t", dataset.topic, "-K", "\t", "-q"]
        for property in Self.kcatProducerProperties { arguments += ["-X", property] }
        // From standard input: kcat sends a file named as an argument as one single message.
        return try await runToEnd(name, kcat, arguments, input: payloadFile(dataset), timeout: timeout).elapsed
    }

    /// Records on each topic (high minus low watermark, summed over partitions), and every partition whose low
    /// watermark is no longer 0: records the development broker's size cap dropped.
    func watermarks(_ topics: [String], kafka: KafkaConfiguration) async throws -> (
        records: [String: Int64], dropped: [String]
    ) {
        try await offThePool {
            let admin = try KafkaAdmin(configuration: kafka, logger: CommandLogging.logger("mia.bench"))
            let counts = try admin.listTopics()
            var records: [String: Int64] = [:]
            var dropped: [String] = []
            for topic in topics {
                for partition in 0..<Int32(counts[topic] ?? 0) {
                    let marks = try admin.watermarks(topic: topic, partition: partition)
                    records[topic, default: 0] += marks.high - marks.low
                    if marks.low != 0 { dropped.append("\(topic)[\(partition)] low watermark \(marks.low)") }
                }
            }
            return (records, dropped)
        }
    }

    /// Every topic on a broker.
    func allTopics(kafka: KafkaConfiguration) async throws -> [String] {
        try await offThePool {
            try KafkaAdmin(configuration: kafka, logger: CommandLogging.logger("mia.bench")).listTopics().keys.sorted()
        }
    }

    /// How far a worker's group has come, read from outside the group.
    func progress(group: String, topics: [String], kafka: KafkaConfiguration) async throws -> GroupProgress {
        try await offThePool { try GroupProgress.read(group: group, topics: topics, kafka: kafka) }
    }

    /// Whether an executable is a real worker rather than a placeholder: its `--help` lists the shared worker
    /// options.
    func isWorker(_ executable: URL) async throws -> Bool {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else { return false }
        let run = try await runToEnd(
            executable.lastPathComponent + "-help", executable, ["--help"], timeout: .seconds(30),
            acceptedStatus: Set(0...255))
        return run.process.output.contains("--database")
    }
}
