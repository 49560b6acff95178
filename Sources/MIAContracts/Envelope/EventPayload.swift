/// The typed `data` of a MIAFlow event: one case per ``EventType``.
///
/// - Important: New event types add cases; switch with a `default` branch outside this module.
public enum EventPayload: Sendable, Hashable {
    /// `se.mia.referral.created`.
    case referralCreated(ReferralCreated)
    /// `se.mia.followup.reported`.
    case followupReported(FollowupReported)
    /// `se.mia.outcome.recorded`.
    case outcomeRecorded(OutcomeRecorded)
    /// `se.mia.asf.capacity-declared`.
    case asfCapacityDeclared(AsfCapacityDeclared)
    /// `se.mia.calendar.busy`.
    case calendarBusy(CalendarBusy)
    /// `se.mia.meeting.reschedule-requested`.
    case meetingRescheduleRequested(MeetingRescheduleRequested)
    /// `se.mia.placement.withdraw-requested`.
    case placementWithdrawRequested(PlacementWithdrawRequested)
    /// `se.mia.meeting.booked`.
    case meetingBooked(MeetingEvent)
    /// `se.mia.meeting.rescheduled`.
    case meetingRescheduled(MeetingEvent)
    /// `se.mia.meeting.cancelled`.
    case meetingCancelled(MeetingEvent)
    /// `se.mia.meeting.unschedulable`.
    case meetingUnschedulable(MeetingEvent)
    /// `se.mia.placement.reserved`.
    case placementReserved(PlacementEvent)
    /// `se.mia.placement.waitlisted`.
    case placementWaitlisted(PlacementEvent)
    /// `se.mia.placement.placed-from-waitlist`.
    case placementPlacedFromWaitlist(PlacementEvent)
    /// `se.mia.placement.released`.
    case placementReleased(PlacementEvent)
    /// `se.mia.placement.withdrawn`.
    case placementWithdrawn(PlacementEvent)
    /// `se.mia.asf.capacity-status`.
    case asfCapacityStatus(AsfCapacityStatus)
    /// `se.mia.notification.requested`.
    case notificationRequested(NotificationRequested)
    /// `se.mia.statistics.cell`.
    case statisticsCell(StatisticsCell)

    /// The event type of the payload.
    public var eventType: EventType {
        switch self {
        case .referralCreated: .referralCreated
        case .followupReported: .followupReported
        case .outcomeRecorded: .outcomeRecorded
        case .asfCapacityDeclared: .asfCapacityDeclared
        case .calendarBusy: .calendarBusy
        case .meetingRescheduleRequested: .meetingRescheduleRequested
        case .placementWithdrawRequested: .placementWithdrawRequested
        case .meetingBooked: .meetingBooked
        case .meetingRescheduled: .meetingRescheduled
        case .meetingCancelled: .meetingCancelled
        case .meetingUnschedulable: .meetingUnschedulable
        case .placementReserved: .placementReserved
        case .placementWaitlisted: .placementWaitlisted
        case .placementPlacedFromWaitlist: .placementPlacedFromWaitlist
        case .placementReleased: .placementReleased
        case .placementWithdrawn: .placementWithdrawn
        case .asfCapacityStatus: .asfCapacityStatus
        case .notificationRequested: .notificationRequested
        case .statisticsCell: .statisticsCell
        }
    }

    /// The payload's data value.
    public var data: any EventData {
        switch self {
        case .referralCreated(let data): data
        case .followupReported(let data): data
        case .outcomeRecorded(let data): data
        case .asfCapacityDeclared(let data): data
        case .calendarBusy(let data): data
        case .meetingRescheduleRequested(let data): data
        case .placementWithdrawRequested(let data): data
        case .meetingBooked(let data), .meetingRescheduled(let data), .meetingCancelled(let data),
            .meetingUnschedulable(let data):
            data
        case .placementReserved(let data), .placementWaitlisted(let data), .placementPlacedFromWaitlist(let data),
            .placementReleased(let data), .placementWithdrawn(let data):
            data
        case .asfCapacityStatus(let data): data
        case .notificationRequested(let data): data
        case .statisticsCell(let data): data
        }
    }

    /// The Kafka key and CloudEvent `subject` of the payload.
    public var partitionKey: String { data.partitionKey }

    /// The business rules the payload breaks, with paths relative to `data`.
    public var violations: [ContractViolation] { data.violations(as: eventType) }

    /// Wraps decoded data in the case for `type`.
    /// - Throws: ``ContractViolation/Code/unknownEventType`` when `type` has no case, or when `data`
    ///   is not the data type of `type`.
    public init(_ type: EventType, data: any EventData) throws(ContractViolation) {
        let payload: EventPayload? =
            switch type {
            case .referralCreated: (data as? ReferralCreated).map(Self.referralCreated)
            case .followupReported: (data as? FollowupReported).map(Self.followupReported)
            case .outcomeRecorded: (data as? OutcomeRecorded).map(Self.outcomeRecorded)
            case .asfCapacityDeclared: (data as? AsfCapacityDeclared).map(Self.asfCapacityDeclared)
            case .calendarBusy: (data as? CalendarBusy).map(Self.calendarBusy)
            case .meetingRescheduleRequested: (data as? MeetingRescheduleRequested).map(Self.meetingRescheduleRequested)
            case .placementWithdrawRequested: (data as? PlacementWithdrawRequested).map(Self.placementWithdrawRequested)
            case .meetingBooked: (data as? MeetingEvent).map(Self.meetingBooked)
            case .meetingRescheduled: (data as? MeetingEvent).map(Self.meetingRescheduled)
            case .meetingCancelled: (data as? MeetingEvent).map(Self.meetingCancelled)
            case .meetingUnschedulable: (data as? MeetingEvent).map(Self.meetingUnschedulable)
            case .placementReserved: (data as? PlacementEvent).map(Self.placementReserved)
            case .placementWaitlisted: (data as? PlacementEvent).map(Self.placementWaitlisted)
            case .placementPlacedFromWaitlist: (data as? PlacementEvent).map(Self.placementPlacedFromWaitlist)
            case .placementReleased: (data as? PlacementEvent).map(Self.placementReleased)
            case .placementWithdrawn: (data as? PlacementEvent).map(Self.placementWithdrawn)
            case .asfCapacityStatus: (data as? AsfCapacityStatus).map(Self.asfCapacityStatus)
            case .notificationRequested: (data as? NotificationRequested).map(Self.notificationRequested)
            case .statisticsCell: (data as? StatisticsCell).map(Self.statisticsCell)
            default: nil
            }
        guard let payload else {
            throw ContractViolation(
                .unknownEventType, field: "type", "no payload of this data type is registered for the type")
        }
        self = payload
    }

    /// The Swift data type that carries the `data` of an event type, or `nil` for an unregistered type.
    public static func dataType(of type: EventType) -> (any EventData.Type)? {
        switch type {
        case .referralCreated: ReferralCreated.self
        case .followupReported: FollowupReported.self
        case .outcomeRecorded: OutcomeRecorded.self
        case .asfCapacityDeclared: AsfCapacityDeclared.self
        case .calendarBusy: CalendarBusy.self
        case .meetingRescheduleRequested: MeetingRescheduleRequested.self
        case .placementWithdrawRequested: PlacementWithdrawRequested.self
        case .meetingBooked, .meetingRescheduled, .meetingCancelled, .meetingUnschedulable: MeetingEvent.self
        case .placementReserved, .placementWaitlisted, .placementPlacedFromWaitlist, .placementReleased,
            .placementWithdrawn:
            PlacementEvent.self
        case .asfCapacityStatus: AsfCapacityStatus.self
        case .notificationRequested: NotificationRequested.self
        case .statisticsCell: StatisticsCell.self
        default: nil
        }
    }
}
