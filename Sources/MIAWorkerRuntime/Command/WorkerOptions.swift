import ArgumentParser
import Foundation
import Logging
import MIAKafka

/// The command-line shape every worker shares. Each flag can also be set by the environment variable named in
/// its help; a flag on the command line wins.
public struct WorkerOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Kafka bootstrap servers. Env: MIA_KAFKA_BOOTSTRAP. Any other librdkafka property is read from MIA_KAFKA_<PROPERTY>, dots as underscores (MIA_KAFKA_SECURITY_PROTOCOL=SASL_SSL, MIA_KAFKA_SASL_PASSWORD).",
            valueName: "host:port,..."))
    public var bootstrap: String?

    @Option(
        help: ArgumentHelp(
            "The worker's store: a SQLite file path (default ./data/<worker>.sqlite), or a PostgreSQL URL postgres://user:password@host:port/database[?schema=name&sslmode=require] for replicas on several hosts. Env: MIA_DATABASE.",
            valueName: "path-or-url"))
    public var database: String?

    @Option(
        help: ArgumentHelp(
            "Serve /healthz, /readyz and /metrics on this port (default: off). Env: MIA_HTTP_PORT.", valueName: "port"))
    public var httpPort: Int?

    @Option(
        help: ArgumentHelp(
            "Attempts of a transiently failing batch before its records are dead-lettered (default 8). Env: MIA_MAX_ATTEMPTS.",
            valueName: "n"))
    public var maxAttempts: Int?

    @Option(help: ArgumentHelp("Log format: json or text (default json). Env: MIA_LOG_FORMAT.", valueName: "format"))
    public var logFormat: LogFormat?

    @Option(
        help: ArgumentHelp(
            "Log level: trace, debug, info, notice, warning, error (default info). Env: MIA_LOG_LEVEL.",
            valueName: "level"))
    public var logLevel: String?

    @Option(
        help: ArgumentHelp("Records applied per store transaction (default 500). Env: MIA_BATCH_SIZE.", valueName: "n"))
    public var batchSize: Int?

    @Option(
        help: ArgumentHelp(
            "Consumer session timeout in ms (default 10000; lower on the development broker for faster rebalances). Env: MIA_SESSION_TIMEOUT_MS.",
            valueName: "ms"))
    public var sessionTimeoutMs: Int?

    @Option(
        help: ArgumentHelp(
            "Longest wait of an empty fetch at the broker in ms (default 100). Env: MIA_FETCH_WAIT_MAX_MS.",
            valueName: "ms"))
    public var fetchWaitMaxMs: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds a whole graceful shutdown may take: the batch in flight, relaying the outbox, the final commit, leaving the group and flushing share them (default 20; keep the pod's termination grace period above it). Env: MIA_SHUTDOWN_TIMEOUT.",
            valueName: "seconds"))
    public var shutdownTimeout: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds a partition may have records waiting without progress before /readyz reports it stalled (default 120). Env: MIA_STALL_LIMIT.",
            valueName: "seconds"))
    public var stallLimit: Int?

    @Option(
        help: ArgumentHelp(
            "Days the inbox remembers a handled input, so that its redelivery has no second effect; older entries are pruned in small steps (default 1830, beyond the input topics' 4-year retention). Env: MIA_INBOX_HORIZON_DAYS.",
            valueName: "days"))
    public var inboxHorizonDays: Int?

    public enum LogFormat: String, ExpressibleByArgument, Sendable, CaseIterable {
        case json, text
    }

    public init() {}

    /// The environment variables the options read, for documentation and deployment checks.
    public static let environmentVariables = [
        "MIA_KAFKA_BOOTSTRAP", "MIA_KAFKA_<PROPERTY>", "MIA_DATABASE", "MIA_HTTP_PORT", "MIA_MAX_ATTEMPTS",
        "MIA_LOG_FORMAT", "MIA_LOG_LEVEL", "MIA_BATCH_SIZE", "MIA_SESSION_TIMEOUT_MS", "MIA_FETCH_WAIT_MAX_MS",
        "MIA_SHUTDOWN_TIMEOUT", "MIA_STALL_LIMIT", "MIA_INBOX_HORIZON_DAYS",
    ]

    /// The options with environment fallbacks applied.
    public func resolved(
        worker: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ResolvedWorkerOptions {
        func number(_ flag: Int?, _ variable: String, default value: Int) throws -> Int {
            if let flag { return flag }
            guard let text = environment[variable] else { return value }
            guard let parsed = Int(text) else { throw ValidationError("\(variable)=\(text) is not a number") }
            return parsed
        }
        let kafka: KafkaConfiguration
        do {
            kafka = try KafkaConfiguration.fromEnvironment(environment, bootstrap: bootstrap, clientId: "mia-\(worker)")
        } catch {
            throw ValidationError(error.message)
        }
        var runtime = WorkerRuntimeConfiguration(kafka: kafka)
        runtime.maxAttempts = try number(maxAttempts, "MIA_MAX_ATTEMPTS", default: runtime.maxAttempts)
        runtime.batchSize = try number(batchSize, "MIA_BATCH_SIZE", default: runtime.batchSize)
        runtime.sessionTimeout = .milliseconds(try number(sessionTimeoutMs, "MIA_SESSION_TIMEOUT_MS", default: 10_000))
        runtime.fetchWaitMax = .milliseconds(try number(fetchWaitMaxMs, "MIA_FETCH_WAIT_MAX_MS", default: 100))
        runtime.shutdownDeadline = .seconds(try number(shutdownTimeout, "MIA_SHUTDOWN_TIMEOUT", default: 20))
        runtime.stallLimit = .seconds(try number(stallLimit, "MIA_STALL_LIMIT", default: 120))
        guard runtime.shutdownDeadline >= .seconds(1) else {
            throw ValidationError("--shutdown-timeout must be at least 1")
        }
        guard runtime.stallLimit >= .seconds(1) else { throw ValidationError("--stall-limit must be at least 1") }
        let horizonDays = try number(inboxHorizonDays, "MIA_INBOX_HORIZON_DAYS", default: 1830)
        guard horizonDays >= 1 else { throw ValidationError("--inbox-horizon-days must be at least 1") }
        runtime.inboxHorizon = .seconds(horizonDays * 86_400)
        guard runtime.maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard runtime.batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }

        let port =
            try httpPort
            ?? environment["MIA_HTTP_PORT"].map { text in
                guard let port = Int(text) else { throw ValidationError("MIA_HTTP_PORT=\(text) is not a port") }
                return port
            }
        if let port, !(1...65535).contains(port) { throw ValidationError("--http-port must be 1-65535") }
        let formatText = logFormat?.rawValue ?? environment["MIA_LOG_FORMAT"] ?? "json"
        guard let format = LogFormat(rawValue: formatText) else {
            throw ValidationError("log format must be json or text, not \(formatText)")
        }
        let levelText = logLevel ?? environment["MIA_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ValidationError("log level must be trace, debug, info, notice, warning or error, not \(levelText)")
        }
        return ResolvedWorkerOptions(
            runtime: runtime,
            database: database ?? environment["MIA_DATABASE"] ?? "./data/\(worker).sqlite",
            httpPort: port.map { UInt16($0) },
            logFormat: format,
            logLevel: level)
    }
}

/// ``WorkerOptions`` after environment fallbacks and validation.
public struct ResolvedWorkerOptions: Sendable {
    public var runtime: WorkerRuntimeConfiguration
    public var database: String
    public var httpPort: UInt16?
    public var logFormat: WorkerOptions.LogFormat
    public var logLevel: Logger.Level
}
