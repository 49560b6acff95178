import Dispatch
import Foundation

/// Waits for SIGINT or SIGTERM.
enum ShutdownSignal {
    /// Suspends until the process receives SIGINT or SIGTERM, and returns the signal's name.
    static func wait() async -> String {
        let signals: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")]
        let queue = DispatchQueue(label: "mia.signals")
        return await withCheckedContinuation { continuation in
            let resumed = ResumeOnce(continuation)
            for (number, name) in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { resumed.resume(name) }
                source.resume()
                SignalSources.keep(source)
            }
        }
    }
}

/// Keeps signal sources alive for the life of the process.
private enum SignalSources {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    private static let lock = NSLock()

    static func keep(_ source: any DispatchSourceSignal) {
        lock.lock()
        defer { lock.unlock() }
        sources.append(source)
    }
}

/// Resumes a continuation at most once.
private final class ResumeOnce: @unchecked Sendable {
    // @unchecked: `continuation` is only touched under `lock`.
    private var continuation: CheckedContinuation<String, Never>?
    private let lock = NSLock()

    init(_ continuation: CheckedContinuation<String, Never>) {
        self.continuation = continuation
    }

    func resume(_ value: String) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: value)
    }
}
