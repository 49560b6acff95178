import ArgumentParser
import Foundation
import MIAContracts
import MIAStats

/// `mia stats export`: the statistics as a tidy table, one row per cell.
struct StatsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current statistics as CSV or JSON, one row per cell.",
        discussion: """
            Columns: period, periodType (month, quarter, year, programme), delprojekt (a code or ALL), gender \
            (kvinna, man, total), insatsType (a code or all), indicator, value (empty when suppressed), share (of \
            the started or the ended; empty when suppressed or undefined), suppressed, suppressionMethod (none, \
            primary, secondary), threshold, reference (MIA's reference share). Rows are sorted by period type, \
            period, delprojekt, gender, insats type and indicator. A cell missing from the table is a zero.
            """)

    @OptionGroup var kafka: KafkaOptions

    @Option(help: "Output format: csv or json.")
    var format: Format = .csv

    @Option(help: "Only periods of this type: month, quarter, year or programme (default: all types).")
    var period: PeriodType?

    @Flag(help: "Also each delprojekt (default: the whole programme, ALL, only).")
    var delprojekt = false

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "path"))
    var out: String?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    enum PeriodType: String, ExpressibleByArgument, CaseIterable {
        case month, quarter, year, programme
    }

    func run() async throws {
        let cells = try await StatisticsTopicReader(kafka: try kafka.configuration(clientId: "mia-stats-export"))
            .read()
        let filter = StatisticsFilter(
            periodType: period.flatMap { StatisticsPeriodType(rawValue: $0.rawValue) }, perDelprojekt: delprojekt)
        let rows = cells.filtered(filter)
        let data =
            switch format {
            case .csv: Data(StatisticsExport.csv(rows).utf8)
            case .json: try StatisticsExport.json(rows) + Data("\n".utf8)
            }
        if let out {
            try data.write(to: URL(fileURLWithPath: out))
        } else {
            FileHandle.standardOutput.write(data)
        }
        StandardError.write("exported \(rows.count) cells\n")
    }
}
