import MIAContracts
import MIAWorkerRuntime

/// The `mia-notifier` worker: tells the referring handläggare what happened to their anvisning, once.
///
/// Reads anvisningar, follow-ups and slutdokumentation from the agencies, meetings from the booker and ASF
/// placements from the capacity worker, and writes `se.mia.notification.requested` events to
/// `mia.notification.v1`, keyed by handläggare id. Texts come from ``NotificationTemplates``; they name the
/// referral and the agency's case reference, never the participant.
///
/// Every notification is addressed to the handläggare of the referral's anvisning. Topics are not ordered
/// relative to each other, so an event may arrive before its anvisning: its notice is then kept and sent when
/// the anvisning arrives. A notification's id is derived from the fact it tells and the handläggare, and each
/// id is sent once: a redelivered event, or the same fact in another event, sends nothing more.
///
/// For an agency whose channel is direct (webhook or e-mail), the same transaction also adds the notification to
/// the delivery ledger, which ``NotificationDeliveryService`` works through.
public struct NotifierHandler: WorkerHandler {
    /// The handler's settings.
    public let configuration: NotifierConfiguration
    private let composer: NotificationComposer

    /// Creates the handler.
    public init(configuration: NotifierConfiguration = NotifierConfiguration()) {
        self.configuration = configuration
        composer = NotificationComposer(configuration: configuration)
    }

    public var name: String { "notifier" }

    public var inputTopics: [String] {
        [
            TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome, TopicRegistry.meeting,
            TopicRegistry.placement,
        ]
    }

    public var outputTopics: [String] { [TopicRegistry.notification] }

    public var migrations: [StoreMigration] { NotifierTables.migrations }

    public func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput] {
        let state = NotifierState(transaction)
        let event = input.event
        if case .referralCreated(let referral) = event.payload {
            let recipient = try state.remember(referral)
            let kept = try state.unpark(referralId: referral.referralId)
            let notices = [Notice(received: referral, at: event.time)] + kept
            return try notices.compactMap { try deliver($0, to: recipient, state, from: input) }
        }
        let meeting = try event.payload.meetingEvent.map(state.record)
        guard let notice = Notice(for: event, meeting: meeting) else { return [] }
        guard let recipient = try state.recipient(of: notice.referralId) else {
            try state.park(notice)
            return []
        }
        return try deliver(notice, to: recipient, state, from: input).map { [$0] } ?? []
    }

    /// The notification of a notice, or `nil` when the recipient already had it.
    private func deliver(
        _ notice: Notice, to recipient: Recipient, _ state: NotifierState, from input: WorkerInput
    ) throws -> WorkerOutput? {
        let id = notice.notificationId(for: recipient.handlaggareId)
        guard try state.claim(id, for: notice, to: recipient) else { return nil }
        let notification = composer.compose(notice, to: recipient, id: id)
        if configuration.routing.channel(for: recipient.agency).isDirect {
            try state.enqueueDelivery(
                notification, to: recipient, at: notice.time, source: input, meeting: notice.invitation?.meeting)
        }
        return WorkerOutput(.notificationRequested(notification), discriminator: "notify:\(id)", time: notice.time)
    }
}

extension EventPayload {
    /// The meeting of a booker's event, or `nil` for other events.
    fileprivate var meetingEvent: MeetingEvent? {
        switch self {
        case .meetingBooked(let meeting), .meetingRescheduled(let meeting), .meetingCancelled(let meeting),
            .meetingUnschedulable(let meeting):
            meeting
        default: nil
        }
    }
}
