import Foundation
import MIAWorkerRuntime
import MIAWorkerTestKit
import Synchronization
import Testing

@Suite("PostgresStore: the store for replicas on several hosts")
struct PostgresStoreTests {
    @Test("The runtime's ? placeholders become $n, except inside quoted strings and identifiers")
    func placeholders() {
        #expect(
            PostgresStore.numberedPlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? LIMIT ?")
                == "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 LIMIT $3")
    }

    @Test("A URL that is not PostgreSQL's, or a schema that is not an identifier, is refused with the reason")
    func badURLs() {
        #expect(throws: StoreError.self) { try PostgresStore(url: "mysql://host/db") }
        #expect(throws: StoreError.self) { try PostgresStore(url: "postgres://u@host/db?schema=a;drop") }
        #expect(PostgresStore.isPostgresURL("postgresql://u@h/d"))
        #expect(!PostgresStore.isPostgresURL("./data/booker.sqlite"))
    }

    @Test(
        "Sessions commit synchronously even on a server whose default is synchronous_commit=off",
        .enabled(if: TestStore.postgresURL != nil, Comment(rawValue: TestStore.postgresSkipReason ?? "")))
    func synchronousCommit() async throws {
        let store = try PostgresStore(url: TestStore.postgres.freshDatabase())
        let setting = try await store.write { transaction in
            try transaction.queryOne("SHOW synchronous_commit", [])?["synchronous_commit"].text
        }
        #expect(setting == "on")
        await store.close()
    }

    @Test(
        "A writer frozen while it holds the write lock is cut off by the server; the other replicas go on",
        .enabled(if: TestStore.postgresURL != nil, Comment(rawValue: TestStore.postgresSkipReason ?? "")))
    func frozenWriter() async throws {
        let url = TestStore.postgres.freshDatabase()
        let frozen = try PostgresStore(url: url, statementTimeout: .seconds(5), idleInTransactionTimeout: .seconds(2))
        let other = try PostgresStore(url: url, idleInTransactionTimeout: .seconds(2))
        try await frozen.migrate([
            StoreMigration(
                id: "frozen-001", sqlite: [], postgres: ["CREATE TABLE frozen_test (n INTEGER NOT NULL)"])
        ])
        let woke = Atomic<Bool>(false)
        let holding = Atomic<Bool>(false)
        // The client stops sending statements inside its transaction, holding the lock: as a process stopped by
        // SIGSTOP or cut off by the network looks to the server.
        let stuck = Task {
            try await frozen.write { transaction in
                try transaction.execute("INSERT INTO frozen_test (n) VALUES (1)")
                holding.store(true, ordering: .sequentiallyConsistent)
                Thread.sleep(forTimeInterval: 8)
                woke.store(true, ordering: .sequentiallyConsistent)
            }
        }
        try await waitUntil("the frozen writer holds the lock") { holding.load(ordering: .sequentiallyConsistent) }
        _ = try await other.write { try $0.execute("INSERT INTO frozen_test (n) VALUES (2)") }
        let frozenWokeFirst = woke.load(ordering: .sequentiallyConsistent)
        #expect(!frozenWokeFirst, "the other writer went on while the frozen one slept")
        await #expect(throws: StoreError.self) { try await stuck.value }
        let rows = try await other.read {
            try $0.query("SELECT n FROM frozen_test ORDER BY n", []).map(\.["n"].integer)
        }
        #expect(rows == [2], "the frozen transaction was rolled back")
        await frozen.close()
        await other.close()
    }

    @Test("SQLite commits are fsynced before they return: synchronous=FULL on the writer")
    func sqliteSynchronousFull() async throws {
        let store = try SQLiteStore(path: TestStore.sqlite.freshDatabase())
        let setting = try await store.write { try $0.queryOne("PRAGMA synchronous", [])?["synchronous"].integer }
        #expect(setting == 2, "2 is FULL (1 NORMAL, 0 OFF)")
        await store.close()
    }

    @Test(
        "A statement unanswered within the statement timeout fails as transient, and the store goes on",
        .enabled(if: TestStore.postgresURL != nil, Comment(rawValue: TestStore.postgresSkipReason ?? "")))
    func statementTimeout() async throws {
        let store = try PostgresStore(url: TestStore.postgres.freshDatabase(), statementTimeout: .seconds(1))
        let started = ContinuousClock.now
        do {
            _ = try await store.write { try $0.execute("SELECT pg_sleep(30)", []) }
            Issue.record("a 30 s statement returned under a 1 s timeout")
        } catch let error as StoreError {
            #expect(error.isTransient, "retried as an outage, never dead-lettered: \(error)")
        }
        #expect(ContinuousClock.now - started < .seconds(10), "failed at its timeout, not at the statement's end")
        let answer = try await store.read { try $0.queryOne("SELECT 42 AS n", [])?["n"].integer }
        #expect(answer == 42, "a new connection replaces the one given up")
        await store.close()
    }

    @Test(
        "Replicas starting together apply each migration once; concurrent read-modify-writes lose nothing",
        .enabled(if: TestStore.postgresURL != nil, Comment(rawValue: TestStore.postgresSkipReason ?? "")))
    func concurrentReplicas() async throws {
        let database = TestStore.postgres.freshDatabase()
        let migrations = [
            StoreMigration(
                id: "test-001", sqlite: [],
                postgres: ["CREATE TABLE counter (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"]),
            StoreMigration(
                id: "test-002", sqlite: [], postgres: ["INSERT INTO counter (name, value) VALUES ('hits', 0)"]),
        ]
        let stores = try (0..<4).map { _ in try TestStore.open(database) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores { group.addTask { try await store.migrate(migrations) } }
            try await group.waitForAll()
        }
        // Every replica increments 25 times at once: writers are serialised per store, so no update is lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores {
                group.addTask {
                    for _ in 0..<25 {
                        while true {
                            do {
                                try await store.write { transaction in
                                    let value =
                                        try transaction.queryOne(
                                            "SELECT value FROM counter WHERE name = ?", ["hits"])?["value"].integer ?? 0
                                    try transaction.execute(
                                        "UPDATE counter SET value = ? WHERE name = ?", [.integer(value + 1), "hits"])
                                }
                                break
                            } catch let error as StoreError where error.isTransient {
                                continue
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let count = try await stores[0].read { try $0.queryOne("SELECT value FROM counter", [])?["value"].integer }
        #expect(count == 100, "a lost update would leave fewer")
        let applied = try await stores[0].read {
            try $0.query("SELECT id FROM mia_schema_migrations ORDER BY id", []).compactMap { $0["id"].text }
        }
        #expect(applied == ["test-001", "test-002"], "each migration once (the insert would otherwise repeat)")
        // A constraint violation is not transient: retrying cannot help.
        await #expect {
            try await stores[1].write { try $0.execute("INSERT INTO counter (name, value) VALUES ('hits', 1)") }
        } throws: { error in
            (error as? StoreError)?.isTransient == false
        }
        // Savepoints undo only their own statements.
        try await stores[2].write { transaction in
            _ = try? transaction.savepoint {
                try transaction.execute("INSERT INTO counter (name, value) VALUES ('x', 1)")
                try transaction.execute("INSERT INTO counter (name, value) VALUES ('x', 2)")
            }
            try transaction.execute("INSERT INTO counter (name, value) VALUES ('y', 3)")
        }
        let names = try await stores[3].read {
            try $0.query("SELECT name FROM counter ORDER BY name", []).compactMap { $0["name"].text }
        }
        #expect(names == ["hits", "y"])
        for store in stores { await store.close() }
    }
}
