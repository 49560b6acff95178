/// The participant's labour-market status at entry (ESF output indicators).
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum EmploymentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Unemployed, not long-term.
    case unemployed

    /// Long-term unemployed.
    case longTermUnemployed

    /// Inactive, in education or training.
    case inactive

    /// Inactive and not in education or training.
    case inactiveNotInEducation

    /// Employed, including self-employed.
    case employed
}
