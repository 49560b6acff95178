import Foundation

/// Polls `condition` every 100 ms until it holds.
///
/// - Throws: ``TestKitError`` naming `what` after `timeout`, or what `condition` throws.
public func waitUntil(
    _ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool
) async throws {
    let end = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < end else { throw TestKitError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(100))
    }
}

/// Polls `condition` every 250 ms until it holds, while worker processes run.
///
/// - Throws: ``TestKitError`` naming `what`, with the tail of every process's standard error, when a process has
///   exited or `timeout` has passed.
public func waitUntil(
    _ what: String, _ processes: [ChildProcess], timeout: Duration = .seconds(60), _ condition: () async -> Bool
) async throws {
    let end = ContinuousClock.now + timeout
    while await !condition() {
        guard ContinuousClock.now < end, processes.allSatisfy(\.process.isRunning) else {
            let logs = processes.map { $0.stderr.suffix(2000) }.joined(separator: "\n---\n")
            throw TestKitError("timed out waiting for \(what)\n\(logs)")
        }
        try await Task.sleep(for: .milliseconds(250))
    }
}
