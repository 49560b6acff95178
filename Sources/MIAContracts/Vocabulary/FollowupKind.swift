/// What a follow-up report records.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum FollowupKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Återkoppling: feedback to the handläggare.
    case feedback

    /// An uppföljningsmöte was held.
    case followupMeetingHeld

    /// The plan of the insats was updated.
    case planUpdated

    /// The insats was extended; `newPlannedEnd` is required.
    case insatsExtended

    /// The insats nears its end; time to plan the next step.
    case approachingEnd
}
