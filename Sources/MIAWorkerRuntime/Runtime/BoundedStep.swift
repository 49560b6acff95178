import Logging

/// Runs `body` for at most `deadline`; past it, leaves `body` running unawaited, logs which step timed out, and
/// returns false.
///
/// Unlike a task group, this does not wait for a `body` that ignores cancellation (a delivery report, a blocking
/// librdkafka or SQLite call): what a shutdown needs to end in time.
@discardableResult
func runBounded(
    _ step: String, _ deadline: Duration, logger: Logger, _ body: @escaping @Sendable () async -> Void
) async -> Bool {
    let (done, finished) = AsyncStream<Bool>.makeStream()
    let work = Task {
        await body()
        finished.yield(true)
    }
    let timer = Task {
        try? await Task.sleep(for: deadline)
        finished.yield(false)
    }
    var completed = false
    for await result in done {
        completed = result
        break
    }
    timer.cancel()
    if !completed {
        work.cancel()
        logger.warning("shutdown step timed out; going on", metadata: ["step": "\(step)", "after": "\(deadline)"])
    }
    return completed
}
