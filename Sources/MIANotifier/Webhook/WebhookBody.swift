import Foundation
import MIAContracts

/// The JSON body of a webhook request: the same shape for one notification and for a digest, so that a receiver
/// handles both alike.
///
/// ```json
/// {"id": "…", "type": "notification", "handlaggareId": "hl-17", "agency": "AF",
///  "notifications": [{"notificationId": "…", "kind": "meetingBooked", "subject": "…", "body": "…", …}]}
/// ```
///
/// Each element of `notifications` is the `data` of a `se.mia.notification.requested` event
/// (`schemas/notification-requested.json`). `id` is the notification id, or for `type` `digest` the digest's id;
/// it is also in the `X-MIA-Notification-Id` header. Nothing in it names the participant.
struct WebhookBody: Encodable, Sendable {
    var id: String
    var type: String
    var handlaggareId: String
    var agency: Agency
    var notifications: [NotificationRequested]

    init(_ message: OutgoingMessage) {
        id = message.id
        type = message.isDigest ? "digest" : "notification"
        handlaggareId = message.handlaggareId
        agency = message.agency
        notifications = message.notifications
    }

    /// The body's bytes, with sorted keys, as signed and sent.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
