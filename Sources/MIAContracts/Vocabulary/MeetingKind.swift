/// The kind of meeting the booker schedules.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum MeetingKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// Trepartsmöte: handläggare, participant and insats make the plan.
    case trepartsmote

    /// Uppföljningsmöte during the insats.
    case followup

    /// The meeting near the end that plans the next step.
    case nextStep
}
