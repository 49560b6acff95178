/// A message the notifier should deliver to a handläggare (`se.mia.notification.requested`, topic
/// `mia.notification.v1`, keyed by handläggare id).
///
/// - Important: ``subject`` and ``body`` are written by MIAFlow's workers from templates and must not
///   contain personal data: the handläggare recognises the case by ``agencyCaseRef``.
public struct NotificationRequested: EventData {
    /// The notification's id; the notifier delivers each id once.
    public var notificationId: String
    /// Why the handläggare is notified.
    public var kind: NotificationKind
    /// The recipient's opaque id.
    public var handlaggareId: String
    /// The recipient's agency.
    public var agency: Agency
    /// The referral concerned.
    public var referralId: String
    /// The agency's own case reference.
    public var agencyCaseRef: String
    /// The opaque contact-channel reference from the referral, resolved by the notifier.
    public var channel: String
    /// A short subject line.
    public var subject: String
    /// The message text.
    public var body: String
    /// Whether the handläggare must act soon (for example an unschedulable meeting).
    public var urgent: Bool
    /// An iCalendar (RFC 5545) object for meeting notifications, if any.
    public var calendar: String?

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        notificationId: String, kind: NotificationKind, handlaggareId: String, agency: Agency, referralId: String,
        agencyCaseRef: String, channel: String, subject: String, body: String, urgent: Bool, calendar: String? = nil
    ) {
        self.notificationId = notificationId
        self.kind = kind
        self.handlaggareId = handlaggareId
        self.agency = agency
        self.referralId = referralId
        self.agencyCaseRef = agencyCaseRef
        self.channel = channel
        self.subject = subject
        self.body = body
        self.urgent = urgent
        self.calendar = calendar
    }

    public var partitionKey: String { handlaggareId }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(notificationId, "notificationId")
        check.nonEmpty(handlaggareId, "handlaggareId")
        check.nonEmpty(referralId, "referralId")
        check.nonEmpty(agencyCaseRef, "agencyCaseRef")
        check.nonEmpty(channel, "channel")
        check.nonEmpty(subject, "subject")
        if let calendar, !calendar.hasPrefix("BEGIN:VCALENDAR") {
            check.add(.invalidValue, "calendar", "must be an iCalendar object starting with BEGIN:VCALENDAR")
        }
        return check.violations
    }
}
