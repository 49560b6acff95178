/// The participant's situation on leaving an insats; maps onto the ESF result indicators and SUS.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum OutcomeKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Started work or increased its scope (SUS: förvärvsarbete).
    case work

    /// Started studies (SUS: studier).
    case studies

    /// Went on to an ordinary work-preparatory programme at AF or the municipality.
    case ordinaryProgramme

    /// Actively job-seeking, neither working nor studying (SUS: aktivt arbetssökande).
    case jobSeeking

    /// Other: sick leave, moved, declined or otherwise (SUS: övriga avslutade).
    case other

    /// Avbrott: the participation was interrupted.
    case interrupted
}
