/// A registered CloudEvents `type`: its name, the topic it travels on and the JSON schema of its `data`.
///
/// ``all`` is the registry; ``EventPayload`` has one case per entry. A struct with static members rather
/// than an enum, so that adding a type is not an API break.
public struct EventType: Sendable, Hashable, CustomStringConvertible {
    /// The CloudEvents `type`, for example `se.mia.referral.created`.
    public let name: String
    /// The topic the event travels on, one of ``TopicRegistry``'s names.
    public let topic: String
    /// The schema file of the `data`, relative to `schemas/`, for example `referral-created.json`.
    public let schemaFile: String

    private init(_ name: String, topic: String, schema: String) {
        self.name = name
        self.topic = topic
        self.schemaFile = "\(schema).json"
    }

    /// The base URI of every MIAFlow schema; a schema's `$id` is this followed by its file name.
    public static let schemaBaseURI = "https://schemas.mia.se/v1/"

    /// The CloudEvents `dataschema` of the event: ``schemaBaseURI`` followed by ``schemaFile``.
    public var dataSchema: String { Self.schemaBaseURI + schemaFile }

    public var description: String { name }

    /// The registered type with the given name, or `nil` when the name is unknown.
    public init?(name: String) {
        guard let type = Self.all.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    // MARK: Agency input (published by `mia publish`)

    /// An anvisning; data ``ReferralCreated``.
    public static let referralCreated = EventType(
        "se.mia.referral.created", topic: TopicRegistry.referral, schema: "referral-created")
    /// A follow-up; data ``FollowupReported``.
    public static let followupReported = EventType(
        "se.mia.followup.reported", topic: TopicRegistry.followup, schema: "followup-reported")
    /// A slutdokumentation; data ``OutcomeRecorded``.
    public static let outcomeRecorded = EventType(
        "se.mia.outcome.recorded", topic: TopicRegistry.outcome, schema: "outcome-recorded")
    /// An ASF capacity declaration; data ``AsfCapacityDeclared``.
    public static let asfCapacityDeclared = EventType(
        "se.mia.asf.capacity-declared", topic: TopicRegistry.asf, schema: "asf-capacity-declared")
    /// A busy period; data ``CalendarBusy``.
    public static let calendarBusy = EventType(
        "se.mia.calendar.busy", topic: TopicRegistry.calendar, schema: "calendar-busy")
    /// A reschedule request; data ``MeetingRescheduleRequested``.
    public static let meetingRescheduleRequested = EventType(
        "se.mia.meeting.reschedule-requested", topic: TopicRegistry.request, schema: "meeting-reschedule-requested")
    /// A withdrawal request; data ``PlacementWithdrawRequested``.
    public static let placementWithdrawRequested = EventType(
        "se.mia.placement.withdraw-requested", topic: TopicRegistry.request, schema: "placement-withdraw-requested")

    // MARK: Worker output

    /// The booker booked a meeting; data ``MeetingEvent``.
    public static let meetingBooked = EventType(
        "se.mia.meeting.booked", topic: TopicRegistry.meeting, schema: "meeting")
    /// The booker moved a meeting; data ``MeetingEvent``.
    public static let meetingRescheduled = EventType(
        "se.mia.meeting.rescheduled", topic: TopicRegistry.meeting, schema: "meeting")
    /// The booker cancelled a meeting; data ``MeetingEvent``.
    public static let meetingCancelled = EventType(
        "se.mia.meeting.cancelled", topic: TopicRegistry.meeting, schema: "meeting")
    /// The booker found no common time; data ``MeetingEvent``.
    public static let meetingUnschedulable = EventType(
        "se.mia.meeting.unschedulable", topic: TopicRegistry.meeting, schema: "meeting")
    /// The capacity worker reserved an ASF place; data ``PlacementEvent``.
    public static let placementReserved = EventType(
        "se.mia.placement.reserved", topic: TopicRegistry.placement, schema: "placement")
    /// The capacity worker put a participant on the waitlist; data ``PlacementEvent``.
    public static let placementWaitlisted = EventType(
        "se.mia.placement.waitlisted", topic: TopicRegistry.placement, schema: "placement")
    /// A waitlisted participant got a place; data ``PlacementEvent``.
    public static let placementPlacedFromWaitlist = EventType(
        "se.mia.placement.placed-from-waitlist", topic: TopicRegistry.placement, schema: "placement")
    /// A place was freed when the participant left; data ``PlacementEvent``.
    public static let placementReleased = EventType(
        "se.mia.placement.released", topic: TopicRegistry.placement, schema: "placement")
    /// A place or waitlist entry was withdrawn on request; data ``PlacementEvent``.
    public static let placementWithdrawn = EventType(
        "se.mia.placement.withdrawn", topic: TopicRegistry.placement, schema: "placement")
    /// The capacity of an ASF activity; data ``AsfCapacityStatus``.
    public static let asfCapacityStatus = EventType(
        "se.mia.asf.capacity-status", topic: TopicRegistry.asfStatus, schema: "asf-capacity-status")
    /// A notification to a handläggare; data ``NotificationRequested``.
    public static let notificationRequested = EventType(
        "se.mia.notification.requested", topic: TopicRegistry.notification, schema: "notification-requested")
    /// A statistics figure; data ``StatisticsCell``.
    public static let statisticsCell = EventType(
        "se.mia.statistics.cell", topic: TopicRegistry.statistics, schema: "statistics-cell")

    /// Every registered event type, in a stable order.
    public static let all: [EventType] = [
        .referralCreated, .followupReported, .outcomeRecorded, .asfCapacityDeclared, .calendarBusy,
        .meetingRescheduleRequested, .placementWithdrawRequested,
        .meetingBooked, .meetingRescheduled, .meetingCancelled, .meetingUnschedulable,
        .placementReserved, .placementWaitlisted, .placementPlacedFromWaitlist, .placementReleased, .placementWithdrawn,
        .asfCapacityStatus, .notificationRequested, .statisticsCell,
    ]
}
