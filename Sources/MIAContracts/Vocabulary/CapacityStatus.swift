/// Whether an ASF activity takes participants.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum CapacityStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Takes participants up to its places.
    case active

    /// Temporarily takes no new participants.
    case paused
}
