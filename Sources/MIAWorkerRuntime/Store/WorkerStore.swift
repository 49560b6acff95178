/// Where a worker keeps its state, inbox and outbox: SQLite by default, PostgreSQL to scale out.
public protocol WorkerStore: Sendable {
    /// Applies the migrations not yet applied, in order; safe when several replicas start at once.
    func migrate(_ migrations: [StoreMigration]) async throws
    /// Runs `body` in one write transaction and commits it.
    ///
    /// - Throws: ``StoreError`` (transient when the database is busy), or what `body` throws (the
    ///   transaction is then rolled back).
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Runs `body` in a read-only transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T
    /// Says that the process is shutting down: waits for locks held by other processes are cut short from now
    /// on, so that no shutdown step waits out a lock timeout.
    func beginShutdown()
    /// Releases connections.
    func close() async
}

extension WorkerStore {
    public func beginShutdown() {}
}
