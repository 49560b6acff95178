import Foundation

/// The Python peer worker (`peer_worker.py`, confluent-kafka and SQLite): the simplest worker with the same
/// guarantees as MIAFlow's runtime (inbox, outbox in one `synchronous=FULL` transaction, produce and wait for the
/// delivery reports, mark sent, commit offsets) and no domain logic. `mia bench` runs it on each consume run's
/// broker, over the same backlog, so that every worker's rate stands next to it.
struct PeerWorker: Sendable {
    /// The script.
    let script: URL
    /// The interpreter: the peer's virtual environment's, else `python3` on the path.
    let python: URL

    /// Where the team keeps the script, relative to the working directory (`make bench` runs in the checkout).
    static let defaultPath = "../shared/bench/peer_worker.py"
    /// The topic the peer writes its outputs to (fixed in the script).
    static let outputTopic = "peer.out"
    /// The virtual environment `scripts/ensure-deps.sh bench` makes for the peer, relative to the checkout;
    /// `MIA_PEER_VENV` names another (for both).
    static var virtualEnvironment: String { ProcessInfo.processInfo.environment["MIA_PEER_VENV"] ?? ".build/peer-venv" }

    /// The peer at `path`, or why it cannot run: no such file, no `python3`, or no `confluent_kafka` module.
    static func locate(_ path: String, runner: BenchRunner) async throws -> Result<PeerWorker, PeerUnavailable> {
        let script = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: script.path) else {
            return .failure(PeerUnavailable(reason: "no peer worker at \(path) (--peer)"))
        }
        let venvPython = URL(fileURLWithPath: virtualEnvironment).appendingPathComponent("bin/python3")
        guard
            let python = FileManager.default.isExecutableFile(atPath: venvPython.path)
                ? venvPython : BenchCommand.onPath("python3")
        else {
            return .failure(PeerUnavailable(reason: "python3 is not installed"))
        }
        let check = try await runner.runToEnd(
            "peer-worker-check", python, ["-c", "import confluent_kafka"], timeout: .seconds(60),
            acceptedStatus: [0, 1])
        guard check.process.exitStatus == 0 else {
            return .failure(
                PeerUnavailable(
                    reason: "the Python module confluent_kafka is missing from \(python.path) (scripts/ensure-deps.sh "
                        + "bench installs it into \(virtualEnvironment))"))
        }
        return .success(PeerWorker(script: script, python: python))
    }

    /// Runs the peer over the first `count` records of `topic` in a new group, from process start until it has
    /// committed them and exited.
    ///
    /// - Returns: The wall-clock time, timed as the workers are (group join included).
    func run(
        runner: BenchRunner, name: String, bootstrap: String, topic: String, count: Int
    ) async throws -> Duration {
        let store = runner.dataDirectory.appendingPathComponent("\(name).sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
        let (process, elapsed, _) = try await runner.runToEnd(
            name, python, [script.path, bootstrap, topic, String(count), store.path],
            environment: ["PYTHONUNBUFFERED": "1"], timeout: .seconds(1800))
        guard process.output.contains("peer worker: \(count) records") else {
            throw CommandFailure(
                part: name, message: "did not commit \(count) records (\(process.termination))", log: process.log.path)
        }
        return elapsed
    }
}

/// Why the peer worker is not run.
struct PeerUnavailable: Error, Sendable {
    var reason: String
}
