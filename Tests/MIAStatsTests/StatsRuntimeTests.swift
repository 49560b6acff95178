import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@testable import MIAStats

@Suite("mia-stats through the worker runtime on a development broker", .serialized)
struct StatsRuntimeTests {
    @Test(
        "Cells land on mia.statistics.v1 with the table's figures; redelivery publishes nothing; a late outcome updates",
        arguments: TestStore.available)
    func endToEnd(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["stats"], store: kind)
        var configuration = StatisticsPublisherConfiguration()
        configuration.interval = .milliseconds(200)
        let publisherConfiguration = configuration
        let logger = harness.logger
        let worker = try harness.start(StatsHandler()) { store in
            [StatisticsPublisher(store: store, configuration: publisherConfiguration, logger: logger)]
        }
        let programme = SimulatedProgramme.events(participants: 80, seed: 11, year: 2018)
        // The last outcome is held back, to arrive late (its year has enough outcomes to be published).
        let late = try #require(programme.last { if case .outcomeRecorded = $0.payload { true } else { false } })
        let events = programme.filter { $0.id != late.id }
        try await harness.produce(events)
        let facts = try TestStore.open(harness.database)
        try await waitUntil("every event to be applied", timeout: .seconds(90)) {
            // 0 until the worker has created its tables.
            await facts.count("SELECT COUNT(*) AS n FROM mia_inbox") >= events.count
        }
        let table = StatisticsTable(facts: try await facts.read { try StatsFacts($0).all() }, threshold: 5)
        let expected = table.nonZeroCells
        #expect(expected.count > 100)
        // Earlier recomputations (while events still arrived) published too. Wait until the publisher has
        // caught up: its table of published records is the final table, and the topic holds every version.
        var final: [String: String] = [:]
        for cell in table.cells { final[cell.partitionKey] = StatisticsPublisher.signature(cell) }
        let nonZero = Set(expected.map(\.partitionKey))
        let finalRecords = final
        try await waitUntil("the publisher to catch up", timeout: .seconds(120)) {
            let rows = try await facts.read {
                try $0.query("SELECT cell_key, record, version FROM stats_published", [])
            }
            let versions = rows.reduce(0) { $0 + Int($1["version"].integer ?? 0) }
            let current = rows.allSatisfy { finalRecords[$0["cell_key"].text ?? ""] == $0["record"].text }
            let complete = nonZero.isSubset(of: rows.compactMap { $0["cell_key"].text })
            let onTopic = try harness.count(TopicRegistry.statistics)
            return current && complete && onTopic == versions
        }
        let records = try await harness.read(TopicRegistry.statistics)
        let current = StatisticsCellSet(records: records.map(\.value))
        #expect(current.skipped == 0)
        // Every current record is the table's cell; every non-zero cell is there (cells that were non-zero
        // earlier in the run, such as an activeAtEnd before the outcomes came, are there as zeros).
        let all = Dictionary(uniqueKeysWithValues: table.cells.map { ($0.partitionKey, $0) })
        let onTopic = Dictionary(uniqueKeysWithValues: current.cells.map { ($0.partitionKey, $0) })
        for cell in current.cells where all[cell.partitionKey] != cell {
            Issue.record("\(cell.partitionKey) on the topic differs from the table")
        }
        for cell in expected where onTopic[cell.partitionKey] == nil {
            Issue.record("\(cell.partitionKey) is missing from the topic")
        }
        for record in records {
            let event = try EventDecoder().decode(record.value)
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) } == event.subject)
        }

        // Redelivery: the same events again change no fact and publish no cell.
        let published = records.count
        try await harness.produce(events)
        try await waitUntil("the redelivered events to be seen as duplicates", timeout: .seconds(90)) {
            try worker.metric("mia_messages_duplicate_total") >= Double(events.count)
        }
        try await Task.sleep(for: .seconds(1))  // five publisher intervals
        #expect(try harness.count(TopicRegistry.statistics) == published)

        // A late outcome updates its year and the programme.
        guard case .outcomeRecorded(let outcome) = late.payload else { return }
        let keys = ["\(outcome.endDate.year)/ALL/total/all/ended", "all/ALL/total/all/ended"]
        let before = keys.map { key in current.cells.first { $0.partitionKey == key }?.value ?? 0 }
        try await harness.produce([late])
        var after: [Int?] = []
        try await waitUntil("the late outcome to be published", timeout: .seconds(90)) {
            // The topic may grow while it is read (the harness then throws): try again.
            guard let records = try? await harness.read(TopicRegistry.statistics) else { return false }
            let cells = StatisticsCellSet(records: records.map(\.value))
            after = keys.map { key in cells.cells.first { $0.partitionKey == key }?.value }
            return after != before.map { $0 }
        }
        #expect(after[1] == before[1] + 1)
        if before[0] >= 4 { #expect(after[0] == before[0] + 1) }
        try await worker.stop()
    }
}
