/// The kinds of record an agency hands to `mia publish`; each becomes one ``EventType``.
///
/// The raw values are the names used on the command line and in file names.
public enum InputRecordKind: String, Sendable, Hashable, CaseIterable {
    /// An anvisning → ``EventType/referralCreated``.
    case referral
    /// A follow-up → ``EventType/followupReported``.
    case followup
    /// A slutdokumentation → ``EventType/outcomeRecorded``.
    case outcome
    /// An ASF capacity declaration → ``EventType/asfCapacityDeclared``.
    case asfCapacity = "asf-capacity"
    /// A busy period → ``EventType/calendarBusy``.
    case calendarBusy = "calendar-busy"
    /// A meeting reschedule request → ``EventType/meetingRescheduleRequested``.
    case rescheduleRequest = "reschedule-request"
    /// A placement withdrawal request → ``EventType/placementWithdrawRequested``.
    case withdrawRequest = "withdraw-request"

    /// The event type records of this kind are published as.
    public var eventType: EventType {
        switch self {
        case .referral: .referralCreated
        case .followup: .followupReported
        case .outcome: .outcomeRecorded
        case .asfCapacity: .asfCapacityDeclared
        case .calendarBusy: .calendarBusy
        case .rescheduleRequest: .meetingRescheduleRequested
        case .withdrawRequest: .placementWithdrawRequested
        }
    }

    /// Whether records of this kind concern a participant, and so may carry a personnummer.
    public var isParticipantScoped: Bool {
        TopicRegistry.participantScoped.contains(eventType.topic)
    }

    /// The natural key of a record's data: what makes two records the same occurrence. Derived event
    /// ids are made from it, so republishing a file gives the same ids.
    func naturalKey(of payload: EventPayload) -> String {
        switch payload {
        case .referralCreated(let data): data.referralId
        case .followupReported(let data): data.followupId
        case .outcomeRecorded(let data): data.referralId
        case .asfCapacityDeclared(let data): "\(data.asfId)/\(data.activity)/\(data.fromDate)"
        case .calendarBusy(let data): "\(data.staffId)/\(data.busyId)"
        case .meetingRescheduleRequested(let data): "\(data.meetingId)/\(data.requestedBy.rawValue)/\(data.reasonCode)"
        case .placementWithdrawRequested(let data): "\(data.referralId)/\(data.asfId)/\(data.activity)"
        default: payload.partitionKey
        }
    }
}
