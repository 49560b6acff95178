import Logging
import MIAStats
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// Replicas of mia-stats on one store publish one at a time, and each publication starts where the last ended.
@Suite("The statistics publisher's lease: one replica publishes at a time, and what one published is not redone")
struct PublisherLeaseTests {
    @Test("A replica does not publish while another holds the lease, then takes over", arguments: TestStore.available)
    func lease(_ kind: TestStore) async throws {
        let stats = try await StatsStore(store: kind)
        try await stats.store.migrate(RuntimeTables.migrations)
        try await stats.apply(SimulatedProgramme.events(participants: 40, seed: 5, year: 2019))
        let first = StatisticsPublisher(
            store: stats.store, configuration: StatisticsPublisherConfiguration(), logger: .init(label: "test"))
        let second = StatisticsPublisher(
            store: stats.store, configuration: StatisticsPublisherConfiguration(), logger: .init(label: "test"))

        // Another replica is publishing: nothing is queued here.
        let other = StoreLease(name: "statistics-publisher", owner: "another-replica", duration: .seconds(60))
        #expect(try await stats.store.write { try $0.acquire(other) })
        #expect(try await first.publishChanges() == nil)
        #expect(await stats.store.count("SELECT COUNT(*) AS n FROM mia_outbox") == 0)
        #expect(try await stats.store.read { try StatsFacts($0).publishedRevision() } == -1)

        // Released: the first replica publishes every non-zero cell and records the revision.
        try await stats.store.write { try $0.release(other) }
        let revision = try await stats.store.read { try StatsFacts($0).revision() }
        let publication = try #require(try await first.publishChanges())
        #expect(publication.revision == revision)
        #expect(publication.cells > 100)
        #expect(await stats.store.count("SELECT COUNT(*) AS n FROM mia_outbox") == publication.cells)
        #expect(try await stats.store.read { try StatsFacts($0).publishedRevision() } == revision)

        // The second replica starts from what the first wrote: nothing is queued twice.
        let again = try #require(try await second.publishChanges())
        #expect(again.revision == revision)
        #expect(again.cells == 0)
        #expect(await stats.store.count("SELECT COUNT(*) AS n FROM mia_outbox") == publication.cells)

        // A lease that ran out (its holder died) is taken over.
        let dead = StoreLease(name: "statistics-publisher", owner: "dead-replica", duration: .seconds(0))
        #expect(try await stats.store.write { try $0.acquire(dead) })
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await second.publishChanges() != nil)
    }
}
