import ArgumentParser
import Foundation
import MIAContracts
import MIAKafka

/// `mia bench`: throughput, latency and memory of MIAFlow next to raw librdkafka (`kcat`), on the development
/// broker.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput, latency and memory of MIAFlow next to raw librdkafka (kcat).",
        discussion: """
            Runs on development brokers it starts itself (`mia devbroker`, every topic with --partitions \
            partitions, lz4, so that the broker's per-partition size cap drops nothing; every low watermark is \
            checked before a figure is reported) and prints one table, also written to <output>/results.json:

              publish   `mia publish` of 200,000 referrals vs `kcat -P` of the same final payloads
              consume   each worker from a cold start until its group has no lag, over a backlog of the \
            200,000 referrals (mia-capacity also gets the ASF capacity), vs `kcat -C -G` on the same topics
              replay    mia-stats rebuilding from about 1,000,000 referrals, follow-ups and outcomes
              latency   referral published → notification, 1,000 referrals a second for 30 s, with a low \
            fetch.wait.max.ms (the broker answers an empty fetch only after the full wait)
              memory    each worker's peak RSS (VmHWM) over its consume run
              peer      beside each consume run, the Python peer worker (--peer, ../shared/bench/peer_worker.py: \
            confluent-kafka and SQLite with the same guarantees, no domain logic) over the same referrals on \
            the same broker; its rate and the worker's multiple of it are printed next to the worker's

            Targets are printed next to each figure; a miss is reported, not an error. A worker whose \
            executable is a placeholder is reported as not available. The executables are taken from --bin, by \
            default the directory of this `mia` (make bench builds them in release mode). Logs of every \
            process go to <output>/logs/.

            EXIT STATUS
              0   the table was produced (targets may be missed)
              1   a measurement failed (its rows say so; see the logs)
            """)

    @Flag(help: "One tenth of the volume (20,000 referrals, 3 s of latency).")
    var quick = false

    @Option(help: ArgumentHelp("Scale every volume by this factor (default 1, or 0.1 with --quick).", valueName: "x"))
    var scale: Double?

    @Option(help: ArgumentHelp("The directory of results.json and the logs.", valueName: "dir"))
    var output = "bench-output"

    @Option(help: ArgumentHelp("The directory of the generated input, payloads and stores.", valueName: "dir"))
    var data = "bench-data"

    @Option(help: ArgumentHelp("The directory of the mia-* executables (default: next to this mia).", valueName: "dir"))
    var bin: String?

    @Option(help: "Partitions of every topic on the bench's brokers.")
    var partitions = 24

    @Option(help: ArgumentHelp("fetch.wait.max.ms of mia-notifier in the latency run.", valueName: "ms"))
    var latencyFetchWaitMs = 5

    @Option(help: ArgumentHelp("--batch-size of the workers in the consume runs.", valueName: "n"))
    var batchSize = 500

    @Option(
        help: ArgumentHelp(
            "Serve each worker's /metrics from this port on (one port per worker run; default: off, so no port can clash).",
            valueName: "port"))
    var httpPort: Int?

    @Option(
        help: ArgumentHelp(
            "The longest a worker's consume or replay run may take, in seconds. A worker still behind then is stopped and its rate is taken over what it committed, with the part processed printed next to it; this keeps the whole run on a 2-core machine under 15 minutes. 0: no limit.",
            valueName: "seconds"))
    var consumeBudget = 150

    @Option(
        help: ArgumentHelp(
            "The Python peer worker run on each consume run's broker over the same backlog (needs python3 and confluent-kafka); empty: not run.",
            valueName: "path"))
    var peer = ProcessInfo.processInfo.environment["MIA_BENCH_PEER"] ?? PeerWorker.defaultPath

    @Option(help: "The simulation's seed.")
    var seed: UInt64 = 10

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp(
            "Measure only these workers (comma-separated: notifier, capacity, booker, stats) and skip the latency run unless notifier is one of them; mia publish is always measured, since it makes the payloads.",
            valueName: "workers"))
    var onlyList: String?

    /// The workers named by `--only`, or nil for all.
    var only: Set<String>? {
        onlyList.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    }

    /// The volumes at scale 1.
    static let referrals = 200_000
    static let replayEvents = 1_000_000
    static let latencyRate = 1000
    static let latencySeconds = 30.0

    /// The scale factor in effect.
    var effectiveScale: Double { scale ?? (quick ? 0.1 : 1) }

    func validate() throws {
        guard effectiveScale > 0, effectiveScale <= 10 else { throw ValidationError("--scale must be in (0, 10]") }
        guard partitions > 0 else { throw ValidationError("--partitions must be positive") }
        guard latencyFetchWaitMs >= 0 else { throw ValidationError("--latency-fetch-wait-ms must not be negative") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard consumeBudget >= 0 else { throw ValidationError("--consume-budget must not be negative") }
        let known = Set(BenchWorker.all().map(\.name))
        if let unknown = only?.subtracting(known).sorted(), !unknown.isEmpty {
            throw ValidationError(
                "--only: no worker named \(unknown.joined(separator: ", ")) (known: \(known.sorted().joined(separator: ", ")))"
            )
        }
    }

    func run() async throws {
        let shutdown = ShutdownSignal.install()
        let outputDirectory = URL(fileURLWithPath: output, isDirectory: true)
        let dataDirectory = URL(fileURLWithPath: data, isDirectory: true)
        let files = FileManager.default
        for directory in [outputDirectory, dataDirectory] where files.fileExists(atPath: directory.path) {
            try files.removeItem(at: directory)
        }
        let logDirectory = outputDirectory.appendingPathComponent("logs", isDirectory: true)
        try files.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        try files.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        guard let kcat = Self.onPath("kcat") else {
            throw ValidationError("kcat is not installed (apt-get install kcat)")
        }
        let runner = BenchRunner(
            binDirectory: bin.map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent(),
            dataDirectory: dataDirectory, logDirectory: logDirectory, kcat: kcat,
            pseudonymKey: ProcessInfo.processInfo.environment[Pseudonymizer.keyEnvironmentVariable]
                ?? (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined(),
            partitions: partitions, shutdown: shutdown)
        var scenario = BenchScenario(command: self, runner: runner, outputDirectory: outputDirectory)
        let failed: Bool
        do {
            failed = try await scenario.run()
        } catch {
            await runner.stopAll()
            StandardError.write("bench failed: \(error)\n")
            throw ExitCode.failure
        }
        await runner.stopAll()
        if failed { throw ExitCode.failure }
    }

    /// An executable on PATH.
    static func onPath(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
