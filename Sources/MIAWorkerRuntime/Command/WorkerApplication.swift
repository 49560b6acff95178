import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Assembles and runs a worker process: logging, the store, the runtime, the HTTP endpoint, and graceful
/// shutdown on SIGTERM and SIGINT.
public enum WorkerApplication {
    /// What a worker's extra services may use: the worker's store and a logger.
    public struct Context: Sendable {
        public let store: any WorkerStore
        public let logger: Logger
    }

    /// Runs `handler` until SIGTERM or SIGINT; returns when the worker has shut down cleanly.
    ///
    /// - Parameter services: Extra services of the worker process (for example a delivery loop), run in the same
    ///   service group and shut down with it.
    public static func run<Handler: WorkerHandler>(
        _ handler: Handler, options: ResolvedWorkerOptions,
        services extra: (Context) -> [any Service] = { _ in [] }
    ) async throws {
        // Trapped before anything else: a SIGTERM while the worker starts (the store opening, the group forming)
        // is a graceful shutdown too, not the signal's default action, which ends the process with status 143.
        let signals = await UnixSignalsSequence(trapping: .sigterm, .sigint)
        bootstrapLogging(format: options.logFormat, level: options.logLevel)
        let logger = Logger(label: "mia.\(handler.name)")
        let store = try WorkerStores.open(options.database, logger: logger)
        let metrics = WorkerMetrics(worker: handler.name)
        let health = HealthState()
        let shutdown = StopFlag()
        var runtime = WorkerRuntime(
            handler: handler, configuration: options.runtime, store: store, metrics: metrics, health: health,
            logger: logger)
        runtime.processShutdown = shutdown
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: runtime, successTerminationBehavior: .gracefullyShutdownGroup)
        ]
        for service in extra(Context(store: store, logger: logger)) {
            services.append(.init(service: service, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        if let port = options.httpPort {
            services.append(
                .init(service: WorkerHTTPServer(port: port, health: health, metrics: metrics, logger: logger)))
        }
        // Last, so that the group, which shuts its services down one after another in reverse order, tells it first.
        services.append(
            .init(service: ShutdownNotice(began: shutdown, store: store), successTerminationBehavior: .ignore))
        var configuration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [], cancellationSignals: [],
            logger: logger)
        // The runtime's shutdown steps end within --shutdown-timeout; this only bounds services that would not.
        configuration.maximumGracefulShutdownDuration = options.runtime.shutdownDeadline + .seconds(5)
        // SIGPIPE's default action ends the process silently on a write to a closed socket (an HTTP client that
        // went away); ignored, the write fails with EPIPE and is handled where it happens.
        signal(SIGPIPE, SIG_IGN)
        let group = ServiceGroup(configuration: configuration)
        // A request that comes before the group runs is remembered: it starts the services and shuts them down.
        let forward = Task { for await _ in signals { await group.triggerGracefulShutdown() } }
        defer { forward.cancel() }
        try await group.run()
        // A store still busy with a transaction left behind at shutdown must not hold up the exit: it gets what is
        // left of --shutdown-timeout.
        let left = (shutdown.setAt ?? .now) + options.runtime.shutdownDeadline - .now
        await runBounded("closing the store", max(.milliseconds(100), left), logger: logger) { await store.close() }
    }

    private static func bootstrapLogging(format: WorkerOptions.LogFormat, level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch format {
                case .json: JSONLogHandler(label: label)
                case .text: StreamLogHandler.standardError(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }
}
