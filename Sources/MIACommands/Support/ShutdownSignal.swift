import Dispatch
import Foundation
import Synchronization

/// SIGINT and SIGTERM, caught once installed: ask ``isTriggered`` between steps of work, or ``wait()``.
final class ShutdownSignal: Sendable {
    private struct State {
        var signal: String?
        var waiters: [CheckedContinuation<String, Never>] = []
    }

    private let state = Mutex(State())
    // The sources must stay alive for the handlers to fire; they are never mutated after `install()`.
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    private init() {}

    /// Catches SIGINT and SIGTERM from now on (instead of the default: dying at once).
    static func install() -> ShutdownSignal {
        let shutdown = ShutdownSignal()
        let queue = DispatchQueue(label: "mia.signals")
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { shutdown.trigger(name) }
            source.resume()
            shutdown.sources.append(source)
        }
        return shutdown
    }

    /// Whether a signal has arrived.
    var isTriggered: Bool { state.withLock { $0.signal != nil } }

    /// Suspends until a signal arrives, and returns its name.
    func wait() async -> String {
        await withCheckedContinuation { continuation in
            let signal = state.withLock { state -> String? in
                if let signal = state.signal { return signal }
                state.waiters.append(continuation)
                return nil
            }
            if let signal { continuation.resume(returning: signal) }
        }
    }

    private func trigger(_ name: String) {
        let waiters = state.withLock { state -> [CheckedContinuation<String, Never>] in
            guard state.signal == nil else { return [] }
            state.signal = name
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume(returning: name) }
    }
}
