import MIAWorkerRuntime

extension WorkerStore {
    /// The `n` column of a `SELECT COUNT(*) AS n ...`, or 0 while the store's tables do not exist yet (a worker
    /// process that has not migrated).
    public func count(_ sql: String) async -> Int {
        (try? await read { transaction in Int(try transaction.queryOne(sql, [])?["n"].integer ?? 0) }) ?? 0
    }
}
