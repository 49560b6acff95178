import Logging

/// Opens the store a `--database` value names.
public enum WorkerStores {
    /// A PostgreSQL store for `postgres://` and `postgresql://` URLs, otherwise a SQLite file at the path.
    /// - Throws: ``StoreError`` for a malformed URL or a file that cannot be opened.
    public static func open(_ database: String, logger: Logger = Logger(label: "mia.store")) throws -> any WorkerStore {
        if PostgresStore.isPostgresURL(database) {
            return try PostgresStore(url: database, logger: logger)
        }
        return try SQLiteStore(path: database)
    }
}
