import Dispatch
import Foundation
import GRDB

/// The default store: one SQLite file in WAL mode, through GRDB.
///
/// Several processes may share the file: writes are serialised by SQLite's write lock (`BEGIN IMMEDIATE`),
/// and a writer that finds the database locked waits up to ``busyTimeout`` before failing transiently.
public final class SQLiteStore: WorkerStore {
    private let pool: DatabasePool
    /// How long a writer waits for another process's write lock.
    public let busyTimeout: TimeInterval
    /// Set by ``beginShutdown()``: a writer waits at most half a second more for another process's lock.
    private let shuttingDown: StopFlag
    /// Set by ``close()``: a writer still waiting for another process's lock gives up at once, so that the exit
    /// is not held up by the busy timeout of a batch left behind.
    private let closing: StopFlag

    /// Opens (creating when missing) the database at `path`; its directory is created too.
    public init(path: String, busyTimeout: TimeInterval = 5) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var configuration = Configuration()
        // SQLite's own busy timeout cannot be cut short; this one waits in 10 ms steps, at most 50 more once the
        // process is shutting down, and none once the store closes.
        let (shuttingDown, closing) = (StopFlag(), StopFlag())
        (self.shuttingDown, self.closing) = (shuttingDown, closing)
        let tries = max(1, Int((busyTimeout * 100).rounded(.up)))
        configuration.busyMode = .callback { attempt in
            guard attempt < tries, !closing.isSet, !(shuttingDown.isSet && attempt >= 50) else { return false }
            usleep(10_000)
            return true
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // FULL: a commit is on disk (the WAL fsynced) when it returns, so the offsets committed after it never
            // run ahead of effects that power loss could undo; NORMAL would lose the last commits on power loss.
            // Set on the pool's one writer connection after GRDB's WAL set-up, which sets NORMAL (after
            // `prepareDatabase` has run, so that a pragma there does not last).
            // A 32 MiB page cache on the writer (SQLite's default is 2 MiB): a booker batch writes tens of MB of
            // index pages, and a cache that small spills dirty pages to the WAL in mid-transaction (about a tenth
            // of the booker's time in its profile).
            try pool.writeWithoutTransaction {
                try $0.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -32768")
            }
        } catch {
            throw Self.classify(error)
        }
        self.busyTimeout = busyTimeout
    }

    public func migrate(_ migrations: [StoreMigration]) async throws {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.id) { db in
                for statement in migration.statements(for: .sqlite) { try db.execute(sql: statement) }
            }
        }
        // The migrator blocks until readers are done; run it off Swift's cooperative thread pool, whose few
        // threads may be the very ones those readers need to finish.
        let pool = self.pool
        let registered = migrator
        // Replicas starting together on a new file may race to apply the same migration; the loser finds the
        // tables made and, on a second look, the migration recorded as applied.
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    DispatchQueue.global().async {
                        do {
                            try registered.migrate(pool)
                            continuation.resume()
                        } catch {
                            continuation.resume(throwing: Self.classify(error))
                        }
                    }
                }
                return
            } catch  where attempt < 5 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in try body(SQLiteTransaction(db: db)) }
        } catch let error as DatabaseError {
            throw Self.classify(error)
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try body(SQLiteTransaction(db: db)) }
        } catch let error as DatabaseError {
            throw Self.classify(error)
        }
    }

    public func beginShutdown() {
        shuttingDown.set()
    }

    public func close() async {
        closing.set()
        let pool = self.pool
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                try? pool.close()
                continuation.resume()
            }
        }
    }

    static func classify(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let transient = [ResultCode.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CANTOPEN]
            .contains(error.resultCode)
        return StoreError(isTransient: transient, message: "\(error.resultCode): \(error.message ?? "")")
    }
}

/// A GRDB database connection seen as a ``StoreTransaction``.
struct SQLiteTransaction: StoreTransaction {
    let db: Database

    var dialect: SQLDialect { .sqlite }

    // Workers run the same few statements for every record, so each connection keeps them prepared (GRDB's
    // statement cache) instead of parsing the SQL again each time.

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        StoreStatements.ran()
        let statement = try db.cachedStatement(sql: sql)
        try statement.execute(arguments: Self.statementArguments(arguments))
        return db.changesCount
    }

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        StoreStatements.ran()
        let statement = try db.cachedStatement(sql: sql)
        let names = statement.columnNames
        // A cursor reuses one row object; each row keeps only its values, beside the names every row shares.
        let cursor = try Row.fetchCursor(statement, arguments: Self.statementArguments(arguments))
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            rows.append(SQLRow(names: names, values: names.indices.map { SQLValue(row[$0] as DatabaseValue) }))
        }
        return rows
    }

    /// GRDB's arguments of a statement. Through the initialiser for optional existentials: the one for a
    /// sequence of one concrete type maps it with a key path, built anew on every call of the generic code.
    private static func statementArguments(_ arguments: [SQLValue]) -> StatementArguments {
        StatementArguments(arguments.map { value -> (any DatabaseValueConvertible)? in value.databaseValue })
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: Result<T, any Error>!
        try db.inSavepoint {
            do {
                result = .success(try body())
                return .commit
            } catch {
                result = .failure(error)
                return .rollback
            }
        }
        return try result.get()
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .blob(Array(data))
        }
    }
}
