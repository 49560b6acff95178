import ArgumentParser
import Foundation
import MIAStats
import MIAWorkerRuntime

/// The `mia-stats` command: parses the worker's options and runs the statistics worker and its publisher until
/// SIGTERM or SIGINT.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mia-stats",
        abstract: "ESF statistics with disclosure control on the compacted topic mia.statistics.v1.",
        discussion: """
            Reads anvisningar from mia.referral.v1 (start attributes: delprojekt, insats type, planned start, \
            legal gender, age, employment status, education level, disadvantages), slutdokumentation from \
            mia.outcome.v1 (end date, outcome, ESF result flags) and follow-ups from mia.followup.v1 (accepted, \
            not counted). It keeps one fact per referral and per outcome in its store, idempotently: a \
            redelivered or reordered event changes nothing.

            Once the facts have been quiet for one --publish-interval (or changing for --max-publish-delay, as \
            during a replay), it recomputes the whole table from the facts: per month, \
            quarter, year and the whole programme; per delprojekt and ALL; per legal gender and total; per insats \
            type and all: participations started, active at period end and ended, the ESF output indicators at \
            entry and the immediate results on leaving (with shares of those who ended, next to MIA's reference \
            results of 20 % work or studies and 33 % ordinary programme). It publishes each cell whose record \
            changed as se.mia.statistics.cell, keyed by <period>/<delprojekt>/<gender>/<insatsType>/<indicator>. \
            A key never published is a zero.

            Disclosure control: counts from 1 to --threshold minus 1 are suppressed (primary), and further cells \
            (secondary) wherever a suppressed count could be recovered from a total or another breakdown. Every \
            record says whether it is suppressed, how and at which threshold.

            Analysts read the topic with `mia stats export` and `mia stats report`.

            Every flag can also be set by the environment variable in its help; a flag on the command line wins.
            """)

    @OptionGroup(title: "Worker options")
    var runtime: WorkerOptions

    @Option(
        help: ArgumentHelp(
            "The smallest count published; counts from 1 to n-1 are suppressed (default 5). Env: MIA_STATS_THRESHOLD.",
            valueName: "n"))
    var threshold: Int?

    @Option(
        help: ArgumentHelp(
            "Seconds between checks; publishes once the facts were quiet for one interval (default 5). Env: MIA_STATS_PUBLISH_INTERVAL.",
            valueName: "seconds"))
    var publishInterval: Double?

    @Option(
        help: ArgumentHelp(
            "Longest wait for a quiet interval while the facts keep changing (default 60). Env: MIA_STATS_MAX_PUBLISH_DELAY.",
            valueName: "seconds"))
    var maxPublishDelay: Double?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var publisher = StatisticsPublisherConfiguration()
        if let value = try threshold ?? environment["MIA_STATS_THRESHOLD"].map(Self.integer) {
            guard value >= 1 else { throw ValidationError("--threshold must be at least 1") }
            publisher.threshold = value
        }
        if let seconds = try publishInterval ?? environment["MIA_STATS_PUBLISH_INTERVAL"].map(Self.seconds) {
            guard seconds > 0 else { throw ValidationError("--publish-interval must be positive") }
            publisher.interval = .milliseconds(Int(seconds * 1000))
        }
        if let seconds = try maxPublishDelay ?? environment["MIA_STATS_MAX_PUBLISH_DELAY"].map(Self.seconds) {
            guard seconds >= 0 else { throw ValidationError("--max-publish-delay must not be negative") }
            publisher.maxDelay = .milliseconds(Int(seconds * 1000))
        }
        let options = try runtime.resolved(worker: "stats")
        try await WorkerApplication.run(StatsHandler(), options: options) { context in
            [StatisticsPublisher(store: context.store, configuration: publisher, logger: context.logger)]
        }
    }

    private static func integer(_ text: String) throws -> Int {
        guard let value = Int(text) else { throw ValidationError("MIA_STATS_THRESHOLD=\(text) is not a number") }
        return value
    }

    private static func seconds(_ text: String) throws -> Double {
        guard let value = Double(text) else {
            throw ValidationError(
                "\(text) is not a number of seconds (MIA_STATS_PUBLISH_INTERVAL, MIA_STATS_MAX_PUBLISH_DELAY)")
        }
        return value
    }
}
