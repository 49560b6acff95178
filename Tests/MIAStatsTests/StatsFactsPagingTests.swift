import MIAStats
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// The facts are read in pages; however the pages fall, every participation is read once, in referral-id order.
@Suite("StatsFacts reads every participation once, page by page")
struct StatsFactsPagingTests {
    @Test("Pages of 7 give the same facts as one page", arguments: TestStore.available)
    func pages(_ kind: TestStore) async throws {
        let stats = try await StatsStore(store: kind)
        try await stats.apply(SimulatedProgramme.events(participants: 60, seed: 3, year: 2018))
        let whole = try await stats.store.read { try StatsFacts($0).all(pageSize: 1_000_000) }
        let paged = try await stats.store.read { try StatsFacts($0).all(pageSize: 7) }
        #expect(whole.count > 21, "enough participations for several pages")
        #expect(paged == whole)
        #expect(paged.map(\.referralId) == paged.map(\.referralId).sorted())
        #expect(Set(paged.map(\.referralId)).count == paged.count)
        // A page size that divides the count exactly still ends.
        let exact = try await stats.store.read { try StatsFacts($0).all(pageSize: whole.count) }
        #expect(exact == whole)
    }
}
