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

    /// Runs a command to its end and returns its status and combined output.
    ///
    /// Not Foundation's `Process`: on Linux it learns of a child's exit through a socket the child inherits, and
    /// `pg_ctl start` leaves the server running with that socket, so `waitUntilExit()` would wait for the server to
    /// stop. Here the child gets no descriptor but its output file, and `waitpid` waits for the child alone.
    private static func runSync(_ command: [String]) throws -> (status: Int32, output: String) {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("mia-pg-command-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        closeInheritedDescriptors(&actions)
        let arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, command[0], &actions, nil, arguments, environ)
        guard spawned == 0 else {
            throw TestKitError("\(command[0]) could not be started: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TestKitError("waitpid: \(String(cString: strerror(errno)))") }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED/WEXITSTATUS are macros Swift does not import.
        let exited = status & 0x7f == 0
        return (exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    /// Closes every descriptor above stderr in the child: glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34
    /// and later, which Swift's Glibc module does not declare), or else each descriptor open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap(Int32.init) where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }
}
