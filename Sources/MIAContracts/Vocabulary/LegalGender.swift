/// Legal gender as recorded in the population register, the ESF breakdown of every figure.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum LegalGender: String, Sendable, Hashable, Codable, CaseIterable {
    /// Woman.
    case kvinna

    /// Man.
    case man
}
