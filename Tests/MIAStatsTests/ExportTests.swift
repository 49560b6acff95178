import Foundation
import MIAContracts
import MIAStats
import Testing

@Suite("Export for analysts: the tidy table as CSV and JSON, and the latest record per key")
struct ExportTests {
    /// One table for every test of the suite, computed once.
    static let shared = Task {
        let store = try await StatsStore()
        try await store.apply(SimulatedProgramme.events(participants: 200, seed: 2, year: 2018))
        return try await store.table()
    }

    static func table() async throws -> StatisticsTable { try await shared.value }

    @Test("The CSV has a stable header and one row of twelve fields per cell")
    func csv() async throws {
        let cells = try await Self.table().nonZeroCells
        let csv = StatisticsExport.csv(cells)
        let lines = csv.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(
            lines[0]
                == "period,periodType,delprojekt,gender,insatsType,indicator,value,share,suppressed,suppressionMethod,threshold,reference"
        )
        #expect(lines.count == cells.count + 2)  // header, rows, and the empty string after the last line end
        #expect(lines.last == "")
        for line in lines.dropFirst().dropLast() {
            #expect(line.split(separator: ",", omittingEmptySubsequences: false).count == 12, "\(line)")
        }
        let suppressed = try #require(cells.first { $0.suppressed })
        let row = StatisticsExport.csv([suppressed]).split(separator: "\r\n")[1]
        let fields = row.split(separator: ",", omittingEmptySubsequences: false)
        #expect(fields[6] == "" && fields[7] == "" && fields[8] == "true" && fields[9] != "none")
    }

    @Test("JSON rows have the CSV's columns, null where the CSV is empty")
    func json() async throws {
        let cells = try await Self.table().nonZeroCells
        let rows = try #require(
            try JSONSerialization.jsonObject(with: StatisticsExport.json(cells)) as? [[String: Any]])
        #expect(rows.count == cells.count)
        for row in rows.prefix(200) { #expect(Set(row.keys) == Set(StatisticsExport.columns)) }
        let suppressed = try #require(rows.first { $0["suppressed"] as? Bool == true })
        #expect(suppressed["value"] is NSNull)
    }

    @Test("The latest record per key wins, and the filter keeps period types and delprojekt as asked")
    func latestAndFilter() async throws {
        let cells = try await Self.table().nonZeroCells
        var older = cells
        for index in older.indices {
            older[index].value = (older[index].value ?? 0) + 1000
        }
        let set = StatisticsCellSet(publicationOrder: older + cells)
        #expect(set.cells.count == cells.count)
        #expect(Set(set.cells.map(\.partitionKey)) == Set(cells.map(\.partitionKey)))
        #expect(set.cells.allSatisfy { ($0.value ?? 0) < 1000 })
        #expect(set.cells.first?.periodType == .programme, "the whole programme first")

        let years = set.filtered(StatisticsFilter(periodType: .year))
        #expect(!years.isEmpty && years.allSatisfy { $0.periodType == .year && $0.delprojekt == "ALL" })
        let perDelprojekt = set.filtered(StatisticsFilter(periodType: .year, perDelprojekt: true))
        #expect(perDelprojekt.contains { $0.delprojekt != "ALL" })
    }

    @Test("Records that are not statistics cells are skipped and counted")
    func skipsOtherRecords() async throws {
        let cell = try #require(try await Self.table().nonZeroCells.first)
        let event = CloudEvent(id: "e1", source: "test", time: Date(), payload: .statisticsCell(cell))
        let set = StatisticsCellSet(records: [Array(try EventEncoder().encode(event)), Array("not json".utf8)])
        #expect(set.cells == [cell])
        #expect(set.skipped == 1)
    }
}
