import ArgumentParser
import Foundation
import MIAStats

/// `mia stats report`: a self-contained HTML report with SVG charts.
struct StatsReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of the current statistics.",
        discussion: """
            Charts (inline SVG, no scripts or external files): participations active at each month's end per \
            delprojekt; the shares of those who ended in work or studies and in an ordinary programme, per \
            delprojekt, against MIA's reference results (20 % and 33 %); participations started by legal gender. \
            Suppressed values are gaps and • in the tables.
            """)

    @OptionGroup var kafka: KafkaOptions

    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "path"))
    var out: String = "report.html"

    func run() async throws {
        let cells = try await StatisticsTopicReader(kafka: try kafka.configuration(clientId: "mia-stats-report"))
            .read()
        try Data(StatisticsReport.html(cells.cells).utf8).write(to: URL(fileURLWithPath: out))
        StandardError.write("wrote \(out) from \(cells.cells.count) cells\n")
    }
}
