import Foundation

/// A process the demo runs, with standard output and error in one log file.
final class DemoProcess: @unchecked Sendable {
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
    ///   - environment: Variables added to the demo's own environment.
    ///   - log: The file standard output and error go to (created or truncated).
    init(name: String, executable: URL, arguments: [String], environment: [String: String] = [:], log: URL) throws {
        self.name = name
        self.log = log
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DemoFailure(part: name, message: "could not start \(executable.path): \(error)", log: log.path)
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Whether the process is still running.
    var isRunning: Bool { process.isRunning }

    /// How the process ended, for messages: `exit status 1` or `signal 9`.
    var termination: String {
        process.terminationReason == .exit
            ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
    }

    /// Whether it ended by itself with status 0.
    var exitedCleanly: Bool { process.terminationReason == .exit && process.terminationStatus == 0 }

    /// Waits for the process to end by itself.
    /// - Throws: ``DemoFailure`` when it does not end in time (it is then killed).
    func waitForExit(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw DemoFailure(part: name, message: "did not finish within \(timeout); killed", log: log.path)
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
