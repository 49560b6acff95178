import Foundation
import MIAContracts
import MIAKafka
import MIAStats
import MIAWorkerTestKit
import Testing

@Suite("The mia-stats and mia stats commands", .serialized)
struct StatsCommandTests {
    @Test("mia-stats --help explains the worker, its topics, the suppression and every flag with its variable")
    func help() async throws {
        let output = try await runToCompletion("mia-stats", ["--help"])
        #expect(output.status == 0)
        for text in [
            "mia.referral.v1", "mia.outcome.v1", "mia.followup.v1", "mia.statistics.v1", "suppressed",
            "--threshold", "MIA_STATS_THRESHOLD", "--publish-interval", "MIA_STATS_PUBLISH_INTERVAL", "--bootstrap",
            "MIA_KAFKA_BOOTSTRAP", "--database", "MIA_DATABASE",
        ] {
            #expect(output.stdout.contains(text), "\(text)")
        }
    }

    @Test("mia stats export reads the topic to its end and writes the latest record of each key")
    func export() async throws {
        let harness = try RuntimeHarness()
        let store = try await StatsStore()
        try await store.apply(SimulatedProgramme.events(participants: 100, seed: 6, year: 2018))
        let cells = try await store.table().nonZeroCells.filter { $0.periodType != .month }
        // An outdated version of every year cell first, as on a topic the development broker does not compact.
        let outdated = cells.filter { $0.periodType == .year }.map { cell in
            var old = cell
            old.value = cell.value.map { $0 + 1 }
            old.share = nil
            return old
        }
        let time = Date(timeIntervalSince1970: 1_600_000_000)
        let events = (outdated + cells).enumerated().map { index, cell in
            CloudEvent(id: "cell-\(index)", source: "urn:mia:worker:stats", time: time, payload: .statisticsCell(cell))
        }
        try await harness.produce(events)

        let output = try await runToCompletion(
            "mia",
            ["stats", "export", "--bootstrap", harness.cluster.bootstrapServers, "--format", "csv", "--period", "year"])
        #expect(output.status == 0, "\(output.stderr)")
        let expected = StatisticsExport.csv(
            StatisticsCellSet(publicationOrder: cells).filtered(StatisticsFilter(periodType: .year)))
        #expect(output.stdout == expected)
        #expect(output.stdout.split(separator: "\r\n").count > 10)

        let report = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mia-report-\(UUID().uuidString).html")
        let reportOutput = try await runToCompletion(
            "mia", ["stats", "report", "--bootstrap", harness.cluster.bootstrapServers, "--out", report.path])
        #expect(reportOutput.status == 0, "\(reportOutput.stderr)")
        let html = try String(contentsOf: report, encoding: .utf8)
        #expect(html.contains("<svg"))
    }
}
