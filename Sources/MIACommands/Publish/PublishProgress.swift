import Foundation

/// Progress of one stage of `mia publish` on standard error, for large inputs only.
///
/// Reports every ``interval`` records: on a terminal as one line that is rewritten in place, otherwise as
/// separate lines (for logs of scheduled runs). A stage that ends before ``interval`` records reports nothing.
struct PublishProgress {
    /// What the stage does to records, in the past tense: `validated`, `published`.
    let stage: String
    /// The number of records the stage will handle, when known in advance.
    let total: Int?
    /// How many records between two reports.
    let interval: Int
    private let isTerminal: Bool
    private let start = ContinuousClock.now
    private var nextReport: Int
    private var reported = false
    private var done = 0

    /// Creates the progress of a stage.
    /// - Parameters:
    ///   - stage: What the stage does to records, in the past tense.
    ///   - total: The number of records the stage will handle, if known.
    ///   - interval: How many records between two reports.
    init(stage: String, total: Int? = nil, interval: Int = 10_000) {
        self.stage = stage
        self.total = total
        self.interval = interval
        isTerminal = isatty(STDERR_FILENO) == 1
        nextReport = interval
    }

    /// Notes that `done` records have been handled, and reports when another ``interval`` has passed.
    /// - Parameter share: The part of the input read so far (0...1), when the stage does not know its total.
    mutating func update(done: Int, share: Double? = nil) {
        self.done = done
        guard done >= nextReport else { return }
        nextReport = (done / interval + 1) * interval
        reported = true
        var line = "\(stage) \(done) " + (total.map { "of \($0) records" } ?? "records")
        if total == nil, let share { line += String(format: " (%.0f %% of the input)", share * 100) }
        StandardError.write(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
    }

    /// Ends the stage: the count and the elapsed time, once anything was reported.
    func finish() {
        guard reported else { return }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let summary = "\(stage) \(total ?? done) records in \(String(format: "%.1f", seconds)) s"
        StandardError.write(isTerminal ? "\r\u{1B}[K" + summary + "\n" : summary + "\n")
    }
}
