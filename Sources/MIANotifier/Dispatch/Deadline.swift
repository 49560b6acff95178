/// Runs work with a time limit.
enum Deadline {
    /// The result of `body`, or `fallback` when it takes longer than `limit` (`body` is then cancelled, and
    /// awaited: it must honour cancellation).
    static func run<T: Sendable>(
        _ limit: Duration, orElse fallback: T, _ body: @escaping @Sendable () async -> T
    ) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return Task.isCancelled ? nil : fallback
            }
            defer { group.cancelAll() }
            while let next = await group.next() {
                if let result = next { return result }
            }
            return fallback
        }
    }
}
