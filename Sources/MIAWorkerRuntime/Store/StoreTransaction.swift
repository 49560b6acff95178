/// Statements run inside one store transaction: a worker's state change, its inbox entry and its outbox rows
/// commit together or not at all.
///
/// SQL uses `?` placeholders and the subset common to SQLite and PostgreSQL (`INSERT ... ON CONFLICT`,
/// `RETURNING`, standard types).
public protocol StoreTransaction {
    /// Runs a statement that returns no rows; returns the number of rows changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int
    /// Runs a query and returns its rows.
    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Runs `body` in a savepoint: when it throws, its statements are undone and the error is rethrown, while
    /// the rest of the transaction stays.
    func savepoint<T>(_ body: () throws -> T) throws -> T
    /// Which SQL dialect the store speaks, for the rare statement that differs.
    var dialect: SQLDialect { get }
}

extension StoreTransaction {
    @discardableResult
    public func execute(_ sql: String) throws -> Int { try execute(sql, []) }

    /// The first row of a query, if any.
    public func queryOne(_ sql: String, _ arguments: [SQLValue]) throws -> SQLRow? {
        try query(sql, arguments).first
    }
}

/// The SQL dialect of a store.
public enum SQLDialect: String, Sendable, Hashable {
    case sqlite, postgres
}

extension SQLDialect {
    /// The database's clock in milliseconds since the epoch, as an SQL expression.
    var nowMilliseconds: String {
        switch self {
        case .sqlite: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
        case .postgres: "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
        }
    }
}
