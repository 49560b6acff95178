import Foundation

/// A child process of a command (`mia demo`, `mia bench`), with standard output and error in one log file.
final class ManagedProcess: @unchecked Sendable {
    // @unchecked: `process` is started in `init` and afterwards only read or signalled; Foundation's `Process`
    // guards its own state.
    /// The name shown in progress and failures (`mia-capacity-2`).
    let name: String
    /// The log file.
    let log: URL
    private let process = Process()

    /// Starts a process.
    /// - Parameters:
    ///   - name: The name shown in progress and failures.
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - environment: Variables added to the parent's own environment.
    ///   - log: The file standard output and error go to (created or truncated).
    ///   - input: The file standard input reads (default: none).
    init(
        name: String, executable: URL, arguments: [String], environment: [String: String] = [:], log: URL,
        input: URL? = nil
    ) throws {
        self.name = name
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = try input.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw CommandFailure(part: name, message: "could not start \(executable.path): \(error)", log: log.path)
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }

    /// The operating system's process id.
    var processIdentifier: Int32 { process.processIdentifier }

    /// The peak resident set size so far in bytes (`VmHWM` in `/proc/<pid>/status`), or `nil` once the
    /// process has ended or where `/proc` does not say.
    var peakResidentBytes: Int64? {
        guard process.isRunning,
            let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        // "VmHWM:     12345 kB"
        return line.split(separator: " ").compactMap { Int64($0) }.first.map { $0 * 1024 }
    }

    /// What the process wrote to its log so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// How the process ended, for messages: `exit status 1` or `signal 9`.
    var termination: String {
        process.terminationReason == .exit
            ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
    }

    /// The exit status (or signal number) once it has ended.
    var exitStatus: Int32 { process.terminationStatus }

    /// Whether it ended by itself with status 0.
    var exitedCleanly: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }

    /// Waits for the process to end by itself.
    /// - Throws: ``CommandFailure`` when it does not end in time (it is then killed).
    func waitForExit(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw CommandFailure(part: name, message: "did not finish within \(timeout); killed", log: log.path)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Sends SIGTERM and waits for the exit; SIGKILL after `timeout`.
    /// - Returns: Whether the process exited with status 0 in time.
    func terminate(timeout: Duration) async -> Bool {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        do {
            try await waitForExit(timeout: timeout)
        } catch {
            return false
        }
        return exitedCleanly
    }
}
