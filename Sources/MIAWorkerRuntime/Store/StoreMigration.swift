/// One versioned schema change, applied once per store, in order of ``id``.
public struct StoreMigration: Sendable, Hashable {
    /// A unique, ordered identifier, for example `runtime-001-inbox`.
    public var id: String
    /// Statements for SQLite.
    public var sqlite: [String]
    /// Statements for PostgreSQL (defaults to the SQLite ones when they are portable).
    public var postgres: [String]

    public init(id: String, sqlite: [String], postgres: [String]? = nil) {
        self.id = id
        self.sqlite = sqlite
        self.postgres = postgres ?? sqlite
    }

    public func statements(for dialect: SQLDialect) -> [String] {
        dialect == .sqlite ? sqlite : postgres
    }
}
