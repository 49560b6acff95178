import Foundation
import MIAWorkerRuntime
import MIAWorkerTestKit
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
        "A statement unanswered within the statement timeout fails as transient, and the store goes on",
        .enabled(if: TestStore.postgresURL != nil, Comment(rawValue: TestStore.postgresSkipReason ?? "")))
    func statementTimeout() async throws {
        let store = try PostgresStore(url: TestStore.postgres.freshDatabase(), statementTimeout: .seconds(1))
        let started = ContinuousClock.now
        do {
            try await store.write { try $0.execute("SELECT pg_sleep(30)", []) }
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
