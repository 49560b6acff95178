import Foundation
import Logging
import Synchronization

/// Logging set-up for the `mia` tool: human-readable lines on standard error.
enum CommandLogging {
    private static let bootstrapped = Mutex(false)

    /// A logger for a command; the first call installs the logging backend.
    ///
    /// The level comes from `MIA_LOG_LEVEL` (trace, debug, info, notice, warning, error), default `warning`,
    /// so that librdkafka's connection chatter stays out of the way.
    static func logger(_ label: String) -> Logger {
        bootstrapped.withLock { done in
            guard !done else { return }
            done = true
            let level =
                ProcessInfo.processInfo.environment["MIA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        return Logger(label: label)
    }
}
