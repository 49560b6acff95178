import Foundation

/// Progress of one stage of `mia publish` on standard error, for large inputs only.
///
/// Reports every ``interval`` records: on a terminal as one line that is rewritten in place, otherwise as
/// separate lines (for logs of scheduled runs). Inputs smaller than ``interval`` report nothing.
struct PublishProgress {
    /// What the stage does to records, in the past tense: `validated`, `published`.
    let stage: String
    /// The number of records the stage will handle.
    let total: Int
    /// How many records between two reports.
    let interval: Int
    private let isTerminal: Bool
    private let start = ContinuousClock.now
    private var nextReport: Int
    private var reported = false

    /// Creates the progress of a stage.
    /// - Parameters:
    ///   - stage: What the stage does to records, in the past tense.
    ///   - total: The number of records the stage will handle.
    ///   - interval: How many records between two reports.
    init(stage: String, total: Int, interval: Int = 10_000) {
        self.stage = stage
        self.total = total
        self.interval = interval
        isTerminal = isatty(STDERR_FILENO) == 1
        nextReport = interval
    }

    /// Notes that `done` records have been handled, and reports when another ``interval`` has passed.
    mutating func update(done: Int) {
        guard done >= nextReport, total >= interval else { return }
        nextReport = (done / interval + 1) * interval
        reported = true
        let line = "\(stage) \(done) of \(total) records"
        StandardError.write(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Ends the stage: the elapsed time, once anything was reported.
    func finish() {
        guard reported else { return }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let summary = "\(stage) \(total) records in \(String(format: "%.1f", seconds)) s"
        StandardError.write(isTerminal ? "\r\u{1B}[K" + summary + "\n" : summary + "\n")
    }
}
