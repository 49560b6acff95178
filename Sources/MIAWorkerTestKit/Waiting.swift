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
