import Foundation

/// A throwaway PostgreSQL server of the test's own, from Debian's `postgresql` package, that a test may stop and
/// start again on the same port and data: what a failover or an outage of the database looks like to a worker.
///
/// The shared server of `make test` (`MIA_TEST_POSTGRES_URL`) serves every other PostgreSQL test and must never be
/// stopped, hence a server per outage test.
public final class PostgresServer: Sendable {
    /// `postgres://mia@127.0.0.1:<port>/postgres`.
    public let url: String
    private let directory: String
    private let binaries: String
    private let port: Int

    /// Why no server can be started here, or nil when one can.
    public static var unavailableReason: String? {
        guard locateBinaries() != nil else {
            return "no PostgreSQL server binaries (apt-get install postgresql)"
        }
        if getuid() == 0, (try? runSync("/usr/bin/id", ["postgres"]))?.status != 0 {
            return "running as root and there is no postgres user to run the server"
        }
        return nil
    }

    /// Initialises a data directory and starts the server on a free loopback port.
    public init() async throws {
        guard let binaries = Self.locateBinaries() else {
            throw TestKitError(Self.unavailableReason ?? "no PostgreSQL server")
        }
        self.binaries = binaries
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        if getuid() == 0 { _ = try Self.runSync("/usr/bin/chown", ["postgres", directory]) }
        port = freeLoopbackPort()
        url = "postgres://mia@127.0.0.1:\(port)/postgres"
        let initdb = try await Self.run(
            Self.asOwner + [
                "\(binaries)/initdb", "-D", "\(directory)/data", "-U", "mia", "--auth=trust", "-E", "UTF8", "--no-sync",
            ]
        )
        guard initdb.status == 0 else { throw TestKitError("initdb failed: \(initdb.output)") }
        try await start()
    }

    deinit {
        _ = try? Self.runSync(
            Self.asOwner + ["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts the server (again) and waits until it accepts connections.
    public func start() async throws {
        let result = try await Self.run(
            Self.asOwner + [
                "\(binaries)/pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t", "60",
                "-o", "-k \(directory) -h 127.0.0.1 -p \(port) -c fsync=off -c max_connections=50", "start",
            ])
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
            throw TestKitError("the PostgreSQL server did not start: \(result.output)\n\(log.suffix(2000))")
        }
    }

    /// Stops the server as an administrator's fast shutdown does: open sessions are ended, new ones refused.
    public func stop() async throws {
        let result = try await Self.run(
            Self.asOwner + ["\(binaries)/pg_ctl", "-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
        guard result.status == 0 else { throw TestKitError("the PostgreSQL server did not stop: \(result.output)") }
    }

    private static var asOwner: [String] { getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : [] }

    private static func locateBinaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        return versions.reversed().map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: "\($0)/initdb") }
    }

    /// Runs a command to its end off Swift's cooperative pool (whose few threads the workers under test need).
    private static func run(_ command: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runSync(command) })
            }
        }
    }

    /// Runs a command to its end and returns its status and combined output.
    private static func runSync(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        try runSync([executable] + arguments)
    }

    private static func runSync(_ command: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
