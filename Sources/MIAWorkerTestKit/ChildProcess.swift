import Foundation

/// A process started by a test, with its standard output and error captured to files.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is only started and signalled from the test's task.
    public let process = Process()
    public let stdoutURL: URL
    public let stderrURL: URL

    /// Starts `executable` (a path, or a name looked up next to the test bundle, then on PATH).
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try Self.locate(executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }

    /// Polls until `condition` holds, failing the test with the process's output after `timeout`.
    public func waitUntil(
        _ what: String, timeout: Duration = .seconds(60), _ condition: (ChildProcess) -> Bool
    ) async throws {
        let end = ContinuousClock.now + timeout
        while !condition(self) {
            guard ContinuousClock.now < end, process.isRunning || condition(self) else {
                throw TestKitError(
                    "timed out waiting for \(what); running=\(process.isRunning)\nstdout:\n\(stdout.suffix(2000))\nstderr:\n\(stderr.suffix(2000))"
                )
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Sends a signal and waits for the process to exit; returns its exit status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(30)) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        return try await waitForExit(timeout: timeout)
    }

    /// Waits for the process to exit by itself; returns its exit status.
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let end = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < end else {
                kill(process.processIdentifier, SIGKILL)  // a hung process must not outlive the test
                throw TestKitError("process did not exit within \(timeout)\nstderr:\n\(stderr.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// The directory holding the build products (the test bundle's own directory).
    public static var productsDirectory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent()
    }

    private static func locate(_ executable: String) throws -> URL {
        if executable.contains("/") { return URL(fileURLWithPath: executable) }
        let built = productsDirectory.appendingPathComponent(executable)
        if FileManager.default.isExecutableFile(atPath: built.path) { return built }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw TestKitError(
            "\(executable) not found next to the tests (\(productsDirectory.path)) nor on PATH; run `make test`, which installs and builds what is needed"
        )
    }
}

/// Runs a command to completion and returns its exit status, standard output and standard error.
/// - Parameter environment: Variables added to this process's environment for the command.
public func runToCompletion(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)
) async throws -> (status: Int32, stdout: String, stderr: String) {
    let child = try ChildProcess(executable, arguments, environment: environment)
    let status = try await child.waitForExit(timeout: timeout)
    return (status, child.stdout, child.stderr)
}
