/// The length of the period a statistics cell covers.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum StatisticsPeriodType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A calendar month, `YYYY-MM`.
    case month

    /// A calendar quarter, `YYYY-Qn`.
    case quarter

    /// A calendar year, `YYYY`.
    case year

    /// The whole programme period, `all`.
    case programme
}
