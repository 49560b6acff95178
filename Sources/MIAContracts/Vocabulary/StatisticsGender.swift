/// The gender breakdown of a statistics cell.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum StatisticsGender: String, Sendable, Hashable, Codable, CaseIterable {
    /// Women.
    case kvinna

    /// Men.
    case man

    /// Everyone.
    case total
}
