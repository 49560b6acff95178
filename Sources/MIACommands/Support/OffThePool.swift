import Dispatch

/// Runs blocking work (librdkafka metadata calls, file reads) on a global dispatch queue and awaits its result,
/// so that the cooperative thread pool is never blocked.
/// - Parameter work: The blocking work.
/// - Returns: What `work` returns.
/// - Throws: What `work` throws.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
