/// Why a command that runs other processes (`mia demo`, `mia bench`) stopped: which part failed and where to
/// look.
struct CommandFailure: Error, CustomStringConvertible {
    /// The part that failed, for example `mia-booker` or `publishing referral`.
    var part: String
    /// What went wrong.
    var message: String
    /// The log to read, if there is one.
    var log: String?

    var description: String {
        "\(part): \(message)" + (log.map { "\n  see its log: \($0)" } ?? "")
    }
}
