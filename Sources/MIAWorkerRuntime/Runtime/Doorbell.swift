import Synchronization

/// Wakes one waiting task: rung by whoever has work for it, waited on with a timeout by the task that does it.
///
/// A ring while nobody waits is kept (once), so that work announced just before the wait is not missed. Waiting
/// suspends the task: no thread and no CPU are used meanwhile. The runtime wakes its outbox relay with one, and
/// the notifier its delivery loop.
public final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Creates a bell that has not rung.
    public init() {}

    /// Wakes the waiting task, or the next one to wait.
    public func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when the bell rings or `timeout` has passed, whichever comes first; at once when it rang since
    /// the last wait. One task waits at a time.
    public func wait(timeout: Duration) async {
        guard timeout > .zero else {
            state.withLock { $0.rung = false }
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForRing() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
