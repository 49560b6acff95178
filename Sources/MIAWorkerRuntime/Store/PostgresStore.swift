import Dispatch
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A store in PostgreSQL, through postgres-nio: what lets every worker run many replicas on many hosts.
///
/// Write transactions of one store (one schema) take a transaction-scoped advisory lock first, so replicas write
/// one at a time, exactly like SQLite's single writer: every transaction sees what the previous one committed, and
/// no read-decide-write can interleave with another replica's. (`SERIALIZABLE` isolation was tried first: with
/// every transaction touching the shared inbox and outbox, replicas failed each other's transactions faster than
/// retries could succeed.) Replicas still share the rest of the work in parallel: consuming, decoding,
/// validating and publishing. Invariants are still enforced by the schema itself (keys, checks, triggers),
/// never only by the code.
///
/// Connections are opened on demand and kept for reuse; a connection that failed is dropped.
public final class PostgresStore: WorkerStore {
    private let configuration: PostgresConnection.Configuration
    /// The schema of the worker's tables (`?schema=` in the URL), or nil for the server's default.
    public let schema: String?
    private let logger: Logger
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextConnectionID = Atomic<Int>(1)
    /// Transaction bodies are synchronous and wait for each statement: they run here, never on the cooperative
    /// pool or a NIO event loop.
    private let queue = DispatchQueue(label: "mia.store.postgres", attributes: .concurrent)
    /// How long a statement may go unanswered before its connection is given up as lost: a bound on every wait,
    /// since a server that vanished without closing the socket (a failover, a cut network) never answers.
    let statementTimeout: TimeAmount
    /// How long the server lets a session sit idle inside a transaction before it ends the session: what frees the
    /// write lock of a replica frozen (SIGSTOP, a cut network) while it held it.
    let idleInTransactionTimeout: Duration

    /// Prepares a store for a `postgres://user:password@host:port/database` URL; connects on first use.
    /// - Throws: ``StoreError`` when the URL is not a PostgreSQL URL.
    /// - Parameter statementTimeout: how long a statement may go unanswered before its connection is dropped
    ///   and the transaction fails as a transient error (retried as an outage).
    /// - Parameter idleInTransactionTimeout: how long the server waits for the next statement of an open
    ///   transaction before it ends the session (and so releases its locks); the runtime's transactions send
    ///   their statements back to back.
    public init(
        url: String, statementTimeout: Duration = .seconds(60), idleInTransactionTimeout: Duration = .seconds(30),
        logger: Logger = Logger(label: "mia.store.postgres")
    ) throws {
        configuration = try Self.configuration(url: url)
        self.statementTimeout = TimeAmount(statementTimeout)
        self.idleInTransactionTimeout = idleInTransactionTimeout
        let schema = URLComponents(string: url)?.queryItems?.first { $0.name == "schema" }?.value
        if let schema {
            guard schema.first.map({ $0.isLetter || $0 == "_" }) == true,
                schema.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" })
            else {
                throw StoreError(isTransient: false, message: "schema must be letters, digits and _ : \(schema)")
            }
        }
        self.schema = schema?.lowercased()
        self.logger = logger
    }

    deinit {
        // A store dropped without close(): close its connections off every event loop and cooperative thread,
        // keeping each alive until it is closed (postgres-nio requires connections to be closed before release).
        for connection in idle.withLock({ $0 }) {
            DispatchQueue.global().async { try? connection.close().wait() }
        }
    }

    /// Whether a `--database` value names a PostgreSQL database rather than a SQLite file.
    public static func isPostgresURL(_ database: String) -> Bool {
        database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
    }

    public func migrate(_ migrations: [StoreMigration]) async throws {
        try await transaction(begin: "BEGIN") { transaction in
            // One replica migrates at a time; the others wait here and then find every migration applied.
            try transaction.run("SELECT pg_advisory_xact_lock(7270001)", [])
            if let schema = self.schema { try transaction.run("CREATE SCHEMA IF NOT EXISTS \(schema)", []) }
            try transaction.run(
                "CREATE TABLE IF NOT EXISTS mia_schema_migrations (id TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                [])
            let applied = Set(
                try transaction.query("SELECT id FROM mia_schema_migrations", []).compactMap { $0["id"].text })
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements(for: .postgres) { try transaction.run(statement, []) }
                try transaction.run("INSERT INTO mia_schema_migrations (id) VALUES (?)", [.text(migration.id)])
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN") { transaction in
            // One writer per store at a time, across every replica and host; released at commit or rollback.
            // Unbounded: waiting for another replica's transaction is not a lost connection, and a relay that
            // gave up here after publishing would send its rows again. (BEGIN, bounded, found a dead connection.)
            try transaction.run(
                "SELECT pg_advisory_xact_lock(hashtext('mia-store:' || current_schema()))", [], bounded: false)
            return try body(transaction)
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    public func close() async {
        let connections = idle.withLock { connections in
            defer { connections.removeAll() }
            return connections
        }
        for connection in connections { try? await connection.close() }
    }

    /// Drops the store's schema with every table in it, for a fresh start (demos and tests).
    /// - Throws: ``StoreError`` when the store has no schema of its own or the server refuses.
    public func dropSchema() async throws {
        guard let schema else {
            throw StoreError(isTransient: false, message: "the store has no schema of its own (?schema= in the URL)")
        }
        _ = try await transaction(begin: "BEGIN") { transaction in
            try transaction.run("DROP SCHEMA IF EXISTS \(schema) CASCADE", [])
        }
    }

    // MARK: Transactions

    private func transaction<T: Sendable>(
        begin: String, _ body: @escaping @Sendable (PostgresTransaction) throws -> T
    ) async throws -> T {
        let connection = try await acquire()
        let logger = self.logger
        let statementTimeout = self.statementTimeout
        let outcome: Result<T, any Error> = await withCheckedContinuation { continuation in
            queue.async {
                let transaction = PostgresTransaction(
                    connection: connection, logger: logger, statementTimeout: statementTimeout)
                do {
                    try transaction.run(begin, [])
                    let result = try body(transaction)
                    try transaction.run("COMMIT", [])
                    continuation.resume(returning: .success(result))
                } catch {
                    // The body's own errors (RetryLater, rejections) pass through as they are; the statements
                    // already classified PostgreSQL's. A connection that may be lost is not asked to roll back
                    // (a statement sent to a connection the server just ended may never be answered): closing it
                    // rolls the transaction back on the server.
                    if !Self.mayBeLost(after: error) { _ = try? transaction.run("ROLLBACK", []) }
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        if case .failure(let error) = outcome, Self.mayBeLost(after: error) {
            // A failover or a server restart ends every session at once: the idle connections are as lost as
            // this one, and a statement sent to one of them might only fail at its timeout.
            let idle = self.idle.withLock { connections in
                defer { connections.removeAll() }
                return connections
            }
            for lost in [connection] + idle { try? await lost.close() }
        } else if connection.isClosed {
            try? await connection.close()
        } else {
            idle.withLock { $0.append(connection) }
        }
        return try outcome.get()
    }

    /// Whether a transaction's failure may have left its connection unusable: a lost session, a server shutting
    /// down, a statement unanswered. Serialization failures and deadlocks leave the connection as it was.
    private static func mayBeLost(after error: any Error) -> Bool {
        (error as? StoreError)?.isConnectionLost == true
    }

    private func acquire() async throws -> PostgresConnection {
        while let connection = idle.withLock({ $0.popLast() }) {
            if !connection.isClosed { return connection }
        }
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue,
                logger: logger)
            if let schema {
                try await connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(schema)"), logger: logger)
            }
            // Whatever the server or the role defaults to: a commit is durable when it returns, so the offsets
            // committed after it never run ahead of effects a crash of the server could undo. A session left idle
            // in a transaction is ended (its locks freed), a lock waited for more than five minutes fails the
            // transaction as transient, and the server's TCP keepalives find a client that vanished in about a
            // minute, not two hours.
            let idle = idleInTransactionTimeout.wholeMilliseconds
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT set_config('synchronous_commit', 'on', false),
                            set_config('idle_in_transaction_session_timeout', '\(max(idle, 1))', false),
                            set_config('lock_timeout', '300000', false),
                            set_config('tcp_keepalives_idle', '30', false),
                            set_config('tcp_keepalives_interval', '10', false),
                            set_config('tcp_keepalives_count', '3', false)
                        """), logger: logger)
            return connection
        } catch {
            throw Self.classify(error)
        }
    }

    // MARK: Errors and configuration

    /// A ``StoreError`` that says whether retrying may help: serialization failures, deadlocks and lost
    /// connections are transient; constraint violations and SQL errors are not.
    static func classify(_ error: any Error) -> any Error {
        if error is StoreError { return error }
        guard let error = error as? PSQLError else {
            return StoreError(isTransient: true, message: "PostgreSQL connection: \(error)", isConnectionLost: true)
        }
        guard let state = error.serverInfo?[.sqlState] else {
            // No server answer at all: the connection failed or was closed.
            let message = "PostgreSQL \(error.code)"
            let transient = error.code != .tooManyParameters
            return StoreError(isTransient: transient, message: message, isConnectionLost: transient)
        }
        let serverMessage = error.serverInfo?[.message] ?? ""
        let lost = state.hasPrefix("08") || state.hasPrefix("57P")
        let transient = lost || state == "40001" || state == "40P01" || state.hasPrefix("53")
        return StoreError(
            isTransient: transient, message: "SQLSTATE \(state): \(serverMessage)", isConnectionLost: lost)
    }

    static func configuration(url: String) throws -> PostgresConnection.Configuration {
        guard isPostgresURL(url), let components = URLComponents(string: url), let host = components.host,
            !host.isEmpty
        else {
            throw StoreError(
                isTransient: false, message: "not a PostgreSQL URL (postgres://user:password@host:port/database)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        var configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432,
            username: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
            password: components.percentEncodedPassword?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: sslMode == "disable" ? .disable : .require(try .init(configuration: .makeClientConfiguration())))
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

extension PostgresStore {
    /// The SQL with SQLite's `?` placeholders numbered as PostgreSQL's `$1`, `$2`, ...
    public static func numberedPlaceholders(_ sql: String) -> String {
        PostgresTransaction.numberedPlaceholders(sql)
    }
}
