/// How disclosure control treated a statistics cell.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum SuppressionMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// Published as is.
    case none

    /// Suppressed because the count is below the threshold.
    case primary

    /// Suppressed so that another suppressed cell cannot be recovered from totals.
    case secondary
}
