/// The participant's highest completed education at entry, as ISCED bands.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum EducationLevel: String, Sendable, Hashable, Codable, CaseIterable {
    /// ISCED 0-2: at most lower secondary.
    case isced0_2

    /// ISCED 3-4: upper or post-secondary non-tertiary.
    case isced3_4

    /// ISCED 5-8: tertiary.
    case isced5_8
}
