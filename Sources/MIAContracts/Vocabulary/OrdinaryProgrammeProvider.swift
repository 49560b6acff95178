/// Who runs the ordinary work-preparatory programme a participant went on to.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum OrdinaryProgrammeProvider: String, Sendable, Hashable, Codable, CaseIterable {
    /// Arbetsförmedlingen.
    case af = "AF"

    /// The municipality.
    case kommun
}
