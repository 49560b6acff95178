/// Why a handläggare is notified.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum NotificationKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The insats received the referral.
    case referralReceived

    /// A meeting was booked.
    case meetingBooked

    /// A meeting was moved.
    case meetingRescheduled

    /// A meeting was cancelled.
    case meetingCancelled

    /// No common time could be found; manual booking needed.
    case meetingUnschedulable

    /// An ASF place was reserved.
    case placementReserved

    /// The participant was put on an ASF waitlist.
    case placementWaitlisted

    /// A waitlisted participant got an ASF place.
    case placementFromWaitlist

    /// A follow-up was reported.
    case followupReported

    /// The insats nears its end.
    case approachingEnd

    /// The participant left the insats; the outcome is recorded.
    case outcomeRecorded
}
