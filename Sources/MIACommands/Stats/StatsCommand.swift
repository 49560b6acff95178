import ArgumentParser

/// `mia stats`: the analysts' view of the ESF statistics on `mia.statistics.v1`.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Export the ESF statistics (mia.statistics.v1) as a table, or write an HTML report.",
        discussion: """
            mia-stats publishes one disclosure-controlled record per figure to mia.statistics.v1: per month, \
            quarter, year and the whole programme (all); per delprojekt and ALL; per legal gender and total; per \
            insats type and all. These commands read the topic from the start, keep the latest record per key \
            (the development broker does not compact) and write it out. A key never published is a zero.

            Examples:
              mia stats export --format csv --period year --delprojekt > statistics.csv
              mia stats report --out report.html
            """,
        subcommands: [StatsExportCommand.self, StatsReportCommand.self])
}
