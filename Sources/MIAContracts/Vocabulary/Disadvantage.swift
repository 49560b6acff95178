/// A disadvantage reported at entry (ESF output indicators).
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum Disadvantage: String, Sendable, Hashable, Codable, CaseIterable {
    /// Migrant or of foreign background.
    case migrantOrForeignBackground

    /// With a disability.
    case disability

    /// Other disadvantaged.
    case otherDisadvantaged
}
