import Foundation
import MIAContracts

/// Something a handläggare should be told, before it is addressed to anyone: the kind, the referral, the values
/// its template shows and, for meetings, what the calendar invitation needs.
///
/// A notice holds no personal data (no participant reference), so it may be kept while its referral is not yet
/// known (see ``NotifierState/park(_:)``).
struct Notice: Codable, Sendable, Hashable {
    /// Which template renders it.
    var kind: NotificationKind
    /// The referral it concerns; the recipient is that referral's handläggare.
    var referralId: String
    /// Names the fact being told, for example `meeting.rescheduled/m-1/2`: the same fact is told once per
    /// handläggare, even when it arrives again in another event.
    var occurrence: String
    /// Whether the handläggare must act soon.
    var urgent: Bool
    /// When it happened: the time of the event that caused it.
    var time: Date
    /// The values of its template (besides those of the recipient), already in Swedish.
    var values: [String: String]
    /// The meeting the calendar invitation describes, for meeting notices that carry one.
    var invitation: Invitation?

    /// The facts of a meeting that its iCalendar invitation needs.
    struct Invitation: Codable, Sendable, Hashable {
        /// The meeting, as the booker knows it (stable across reschedules).
        var meeting: MeetingSnapshot
        /// Whether the invitation withdraws the meeting (`METHOD:CANCEL`) rather than sets it.
        var cancels: Bool
    }

    /// The id of this notice's notification to a handläggare: the same for the same fact and handläggare.
    func notificationId(for handlaggareId: String) -> String {
        let name = "\(occurrence)/\(handlaggareId)"
        return UUIDv5.make(namespace: Self.notificationNamespace, name: name).uuidString.lowercased()
    }

    /// The UUIDv5 namespace of notification ids.
    private static let notificationNamespace = UUID(uuidString: "5f1c2a4e-8d7b-4b8e-9a51-6c0e3f2d9b17")!
}
