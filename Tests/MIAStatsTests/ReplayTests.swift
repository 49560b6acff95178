import Foundation
import MIAContracts
import MIAStats
import MIAWorkerTestKit
import Testing

@Suite("Figures are a pure function of the set of input events")
struct ReplayTests {
    @Test("Shuffled input with duplicates gives byte-identical statistics", arguments: TestStore.available)
    func shuffledAndDuplicated(store kind: TestStore) async throws {
        let events = SimulatedProgramme.events(participants: 500, seed: 3, year: 2019)
        let ordered = try await StatsStore(store: kind)
        try await ordered.apply(events)
        let expected = StatisticsExport.csv(try await ordered.table().cells)

        var generator = SeededGenerator(seed: 42)
        var replay = events + events.filter { _ in Bool.random(using: &generator) }
        replay.shuffle(using: &generator)
        let shuffled = try await StatsStore(store: kind)
        try await shuffled.apply(replay)
        let actual = StatisticsExport.csv(try await shuffled.table().cells)
        #expect(actual == expected)
        #expect(expected.count > 100_000, "the table is not trivially empty")
    }

    @Test("A late outcome for an old month updates that month", arguments: TestStore.available)
    func lateOutcome(store kind: TestStore) async throws {
        let events = SimulatedProgramme.events(participants: 300, seed: 5, year: 2018)
        let outcomes = events.filter { if case .outcomeRecorded = $0.payload { true } else { false } }
        let late = try #require(outcomes.first)
        guard case .outcomeRecorded(let outcome) = late.payload else { return }
        let store = try await StatsStore(store: kind)
        try await store.apply(events.filter { $0.id != late.id })
        let month = String(outcome.endDate.description.prefix(7))
        let before = try await store.table(threshold: 1)
        try await store.apply([late])
        let after = try await store.table(threshold: 1)
        func ended(_ table: StatisticsTable) -> Int? {
            table.cells.first { $0.partitionKey == "\(month)/ALL/total/all/ended" }?.value
        }
        #expect((ended(after) ?? 0) == (ended(before) ?? 0) + 1)
    }
}

/// SplitMix64, for reproducible shuffles.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
