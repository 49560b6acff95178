/// Why the demo stopped: which part failed and where to look.
struct DemoFailure: Error, CustomStringConvertible {
    /// The part that failed, for example `mia-booker` or `publishing referral`.
    var part: String
    /// What went wrong.
    var message: String
    /// The log to read, if there is one.
    var log: String?

    var description: String {
        "demo failed: \(part): \(message)" + (log.map { "\n  see its log: \($0)" } ?? "")
    }
}
