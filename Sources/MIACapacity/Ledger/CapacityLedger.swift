import Foundation
import MIAContracts

/// The places, occupants and waitlist of one ASF activity, and the rules that move participants between them.
///
/// A plain value with no I/O: the store loads it, applies one event and saves the decisions it returns.
///
/// The rules:
/// - An anvisning reserves a place when the activity is active, a place is free and nobody waits; otherwise
///   the participant joins the end of the waitlist (first in, first out), also while the activity is paused.
/// - Whenever a place frees or the activity gains places or becomes active again, the waitlist is served from
///   its front, in the same step.
/// - A decrease below the occupancy evicts nobody: new placements wait until the occupancy falls below the
///   new number of places.
/// - A placement is dated no earlier than the day the place is free, the first day of the declaration and the
///   participant's ``PlacementCandidate/earliestStart`` (the preferred start date when given).
///
/// The waitlist may be held only in part: ``waitlist`` is its front, in order, and ``waitingBeyond`` counts
/// the participants behind it that were not loaded. A change can place at most ``places`` + 1 participants,
/// so a front of that length is enough for every operation (see ``requiredFront``).
public struct CapacityLedger: Sendable, Hashable {
    /// The ASF activity.
    public let asf: AsfActivity
    /// The declared places.
    public private(set) var places: Int
    /// Whether the activity takes participants.
    public private(set) var status: CapacityStatus
    /// The first day of the current declaration; no place is dated before it.
    public private(set) var availableFrom: CalendarDate
    /// The participants holding a place.
    public private(set) var occupants: [PlacementCandidate]
    /// The front of the waitlist, first in first.
    public private(set) var waitlist: [PlacementCandidate]
    /// Waiting participants behind ``waitlist`` that are not held in memory.
    public private(set) var waitingBeyond: Int

    /// Creates a ledger from its state.
    public init(
        asf: AsfActivity, places: Int, status: CapacityStatus, availableFrom: CalendarDate,
        occupants: [PlacementCandidate] = [], waitlist: [PlacementCandidate] = [], waitingBeyond: Int = 0
    ) {
        self.asf = asf
        self.places = places
        self.status = status
        self.availableFrom = availableFrom
        self.occupants = occupants
        self.waitlist = waitlist
        self.waitingBeyond = waitingBeyond
    }

    /// How much of the waitlist's front a change may need: one more than the places.
    public static func requiredFront(places: Int) -> Int { max(places, 0) + 1 }

    /// The number of participants holding a place; may exceed ``places`` after a decrease.
    public var occupied: Int { occupants.count }
    /// The free places: `max(places - occupied, 0)`.
    public var free: Int { max(places - occupied, 0) }
    /// The number of participants waiting.
    public var waitlistLength: Int { waitlist.count + waitingBeyond }
    /// Whether one more participant may take a place now.
    public var canPlace: Bool { status == .active && occupied < places }

    /// Whether the referral holds a place or waits (in the part of the waitlist held in memory).
    public func holds(referralId: String) -> Bool {
        occupants.contains { $0.referralId == referralId } || waitlist.contains { $0.referralId == referralId }
    }

    /// Applies a new declaration of places and status, then serves the waitlist.
    public mutating func declare(places: Int, status: CapacityStatus, from date: CalendarDate) -> [CapacityDecision] {
        self.places = places
        self.status = status
        availableFrom = date
        return serveWaitlist(freeFrom: date)
    }

    /// Places or waitlists a newly referred participant; nothing when the referral is already held.
    ///
    /// - Parameters:
    ///   - candidate: The participant and referral.
    ///   - date: The day of the anvisning: the date of a waitlisting.
    public mutating func refer(_ candidate: PlacementCandidate, on date: CalendarDate) -> [CapacityDecision] {
        guard !holds(referralId: candidate.referralId) else { return [] }
        if canPlace && waitlistLength == 0 {
            occupants.append(candidate)
            return [
                CapacityDecision(.placementReserved, candidate, at: asf, on: startDate(of: candidate, freeFrom: date))
            ]
        }
        if waitingBeyond == 0 {
            waitlist.append(candidate)
        } else {
            waitingBeyond += 1
        }
        return [CapacityDecision(.placementWaitlisted, candidate, at: asf, on: date, position: waitlistLength)]
    }

    /// Ends a referral's participation: a held place is released (and given to the first waiting), a waiting
    /// participant leaves the waitlist as withdrawn. Nothing when the referral is not held.
    ///
    /// - Parameter date: The participant's last day; the place is free the day after.
    public mutating func end(referralId: String, on date: CalendarDate) -> [CapacityDecision] {
        remove(referralId: referralId, on: date, placeReleasedAs: .placementReleased, freeFrom: date.nextDay)
    }

    /// Withdraws a referral at the request of the handläggare: from its place (which is given to the first
    /// waiting) or from the waitlist. Nothing when the referral is not held.
    ///
    /// - Parameter date: The day of the request; a withdrawn place is free the same day.
    public mutating func withdraw(referralId: String, on date: CalendarDate) -> [CapacityDecision] {
        remove(referralId: referralId, on: date, placeReleasedAs: .placementWithdrawn, freeFrom: date)
    }

    /// The current figures as a `se.mia.asf.capacity-status` snapshot.
    public func snapshot(asOf time: Date) -> AsfCapacityStatus {
        AsfCapacityStatus(
            asfId: asf.asfId, activity: asf.activity, places: places, occupied: occupied, free: free,
            waitlistLength: waitlistLength, status: status, asOf: time)
    }

    private mutating func remove(
        referralId: String, on date: CalendarDate, placeReleasedAs type: EventType, freeFrom: CalendarDate
    ) -> [CapacityDecision] {
        if let index = occupants.firstIndex(where: { $0.referralId == referralId }) {
            let candidate = occupants.remove(at: index)
            return [CapacityDecision(type, candidate, at: asf, on: date)] + serveWaitlist(freeFrom: freeFrom)
        }
        if let index = waitlist.firstIndex(where: { $0.referralId == referralId }) {
            let candidate = waitlist.remove(at: index)
            return [CapacityDecision(.placementWithdrawn, candidate, at: asf, on: date)]
        }
        return []
    }

    /// Gives free places to the front of the waitlist while the activity is active.
    private mutating func serveWaitlist(freeFrom date: CalendarDate) -> [CapacityDecision] {
        var decisions: [CapacityDecision] = []
        while canPlace, !waitlist.isEmpty {
            let candidate = waitlist.removeFirst()
            occupants.append(candidate)
            decisions.append(
                CapacityDecision(
                    .placementPlacedFromWaitlist, candidate, at: asf, on: startDate(of: candidate, freeFrom: date)))
        }
        return decisions
    }

    private func startDate(of candidate: PlacementCandidate, freeFrom date: CalendarDate) -> CalendarDate {
        max(date, availableFrom, candidate.earliestStart)
    }
}
