/// The agency a handläggare works for.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum Agency: String, Sendable, Hashable, Codable, CaseIterable {
    /// Arbetsförmedlingen.
    case af = "AF"

    /// Försäkringskassan.
    case fk = "FK"

    /// A municipality.
    case kommun

    /// Region Stockholm.
    case region
}
