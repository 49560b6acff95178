import MIAContracts

/// One placement decision of the ledger: what happened to whom, and from which day.
///
/// The ``type`` is one of the five placement event types (`se.mia.placement.reserved`, `.waitlisted`,
/// `.placed-from-waitlist`, `.released`, `.withdrawn`); ``placement`` is the event's data.
public struct CapacityDecision: Sendable, Hashable {
    /// The placement event type.
    public var type: EventType
    /// The event data; its `position` is set exactly for `.waitlisted`.
    public var placement: PlacementEvent
    /// The participant the decision is about.
    public var candidate: PlacementCandidate

    /// Creates a decision about `candidate` at `asf`.
    init(
        _ type: EventType, _ candidate: PlacementCandidate, at asf: AsfActivity, on date: CalendarDate,
        position: Int? = nil
    ) {
        self.type = type
        self.candidate = candidate
        placement = PlacementEvent(
            referralId: candidate.referralId, participantRef: candidate.participantRef, asfId: asf.asfId,
            activity: asf.activity, position: position, date: date)
    }

    /// The decision as an event payload for `mia.placement.v1`.
    public var payload: EventPayload {
        switch type {
        case .placementReserved: .placementReserved(placement)
        case .placementWaitlisted: .placementWaitlisted(placement)
        case .placementPlacedFromWaitlist: .placementPlacedFromWaitlist(placement)
        case .placementReleased: .placementReleased(placement)
        // The ledger makes only the five placement types; the last is `.placementWithdrawn`.
        default: .placementWithdrawn(placement)
        }
    }
}
