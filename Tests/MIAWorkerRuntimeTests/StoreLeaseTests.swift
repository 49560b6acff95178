import Foundation
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("StoreLease: one holder at a time, by the database's clock, fenced by a token")
struct StoreLeaseTests {
    @Test(
        "A holder frozen past its lease is fenced: another takes over under a new token, the old token holds nothing",
        arguments: TestStore.available)
    func fencing(store kind: TestStore) async throws {
        let store = try WorkerStores.open(kind.freshDatabase())
        try await store.migrate(RuntimeTables.migrations)
        let old = StoreLease(name: "outbox", owner: "replica-a", duration: .seconds(1))
        let new = StoreLease(name: "outbox", owner: "replica-b", duration: .seconds(1))
        let first = try #require(try await store.write { try $0.take(old) })
        #expect(try await store.write { try $0.take(new) } == nil, "held by replica-a")
        #expect(try await store.write { try $0.take(old) } == first, "a renewal keeps the token")
        #expect(try await store.read { try $0.holds(old, token: first) })

        // replica-a stops renewing (frozen); its lease runs out by the database's clock and replica-b takes over.
        try await Task.sleep(for: .milliseconds(1200))
        #expect(try await store.read { try $0.holds(old, token: first) } == false, "ran out")
        let second = try #require(try await store.write { try $0.take(new) })
        #expect(second > first)
        // replica-a comes back: its marks under the old token are refused, and it cannot take the lease back.
        #expect(try await store.read { try $0.holds(old, token: first) } == false)
        #expect(try await store.write { try $0.take(old) } == nil)
        #expect(try await store.read { try $0.holds(new, token: second) })
        await store.close()
    }

    @Test("Lease times come from the database's clock", arguments: TestStore.available)
    func databaseClock(store kind: TestStore) async throws {
        let store = try WorkerStores.open(kind.freshDatabase())
        try await store.migrate(RuntimeTables.migrations)
        let lease = StoreLease(name: "outbox", owner: "replica-a", duration: .seconds(15))
        let (until, now) = try await store.write { transaction in
            _ = try transaction.take(lease)
            let until = try transaction.queryOne("SELECT lease_until FROM mia_relay_lease", [])?["lease_until"].integer
            let clock =
                transaction.dialect == .sqlite
                ? "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
                : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
            let now = try transaction.queryOne("SELECT \(clock) AS now", [])?["now"].integer
            return (until ?? 0, now ?? 0)
        }
        #expect((14_000...15_000).contains(until - now), "lease_until is the database's now + 15 s: \(until - now)")
        await store.close()
    }
}
