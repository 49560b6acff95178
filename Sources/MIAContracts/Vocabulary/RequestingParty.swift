/// Who asked for a change.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum RequestingParty: String, Sendable, Hashable, Codable, CaseIterable {
    /// The handläggare.
    case handlaggare

    /// The participant.
    case participant

    /// The insats staff.
    case insats
}
