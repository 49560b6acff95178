import Foundation
import MIAContracts
import MIAWorkerTestKit
import Testing

@testable import MIAStats

@Suite("Published figures agree with an independent recount of a simulated programme")
struct RecountTests {
    @Test(
        "Every non-suppressed cell of 2,500 simulated participants equals the recount; no count is lost",
        arguments: TestStore.available)
    func fullProgramme(store kind: TestStore) async throws {
        let events = SimulatedProgramme.full
        let store = try await StatsStore(store: kind)
        let clock = ContinuousClock()
        let applying = clock.now
        try await store.apply(events)
        let applied = clock.now - applying
        let computing = clock.now
        let table = try await store.table()
        let computed = clock.now - computing
        let nonZero = (0..<table.count).filter { !table.isZero(at: $0) }.count
        print(
            "stats: \(events.count) events applied in \(applied); \(table.count) cells (\(nonZero) non-zero) in \(computed)"
        )

        let recount = IndependentRecount.counts(events)
        #expect(recount["all/ALL/total/all/started"] ?? 0 >= 2500, "every participant started")
        // Plain checks in the loop and one expectation each at the end: a quarter of a million cells.
        var published = 0
        var suppressed = 0
        var invalid: [String] = []
        var mismatches: [String] = []
        var small: [String] = []
        var keys = Set<String>()
        for cell in table.cells {
            keys.insert(cell.partitionKey)
            if !cell.violations(as: .statisticsCell).isEmpty { invalid.append(cell.partitionKey) }
            if cell.suppressed {
                suppressed += 1
                continue
            }
            published += 1
            let expected = recount[cell.partitionKey] ?? 0
            if cell.value != expected {
                mismatches.append("\(cell.partitionKey): published \(cell.value ?? -1), recounted \(expected)")
            }
            if let value = cell.value, value > 0, value < 5 { small.append(cell.partitionKey) }
        }
        #expect(invalid.isEmpty, "invalid records: \(invalid.prefix(5))")
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(5))")
        #expect(small.isEmpty, "small counts published: \(small.prefix(5))")
        for (key, count) in recount where count > 0 && !keys.contains(key) {
            Issue.record("\(key) (\(count)) is missing from the table")
        }
        #expect(published > suppressed, "most cells are published (\(published) published, \(suppressed) suppressed)")
        #expect(suppressed > 0, "a realistic programme has small cells")
    }

    @Test(
        "Shares are of the started or ended, next to MIA's reference results, and never of a suppressed base",
        arguments: TestStore.available)
    func shares(store kind: TestStore) async throws {
        let store = try await StatsStore(store: kind)
        try await store.apply(SimulatedProgramme.events(participants: 300, year: 2019))
        let table = try await store.table()
        let cells = Dictionary(uniqueKeysWithValues: table.cells.map { ($0.partitionKey, $0) })
        var checked = 0
        for cell in cells.values {
            let base: String? =
                switch cell.indicator {
                case "workOrStudies", "work", "interrupted", "gainedQualification": "ended"
                case "longTermUnemployed", "isced0_2", "below25": "started"
                default: nil
                }
            guard let base else { continue }
            let baseKey = cell.partitionKey.replacingOccurrences(of: "/\(cell.indicator)", with: "/\(base)")
            let baseCell = try #require(cells[baseKey])
            if cell.suppressed || baseCell.suppressed || baseCell.value == 0 {
                #expect(cell.share == nil, "\(cell.partitionKey) has no share")
            } else {
                let share = try #require(cell.share)
                #expect(abs(share - Double(cell.value!) / Double(baseCell.value!)) < 0.0001)
                checked += 1
            }
        }
        #expect(checked > 100)
        #expect(cells["all/ALL/total/all/workOrStudies"]?.reference == 0.20)
        #expect(cells["all/ALL/total/all/ordinaryProgramme"]?.reference == 0.33)
        #expect(cells["all/ALL/total/all/started"]?.reference == nil)
    }
}
