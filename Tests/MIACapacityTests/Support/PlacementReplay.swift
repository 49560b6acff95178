import MIAContracts
import Testing

/// Replays placement events in order and checks the capacity invariants at every step.
struct PlacementReplay {
    /// Declared places per ASF id (one activity each).
    let places: [String: Int]
    private(set) var occupants: [String: Set<String>] = [:]
    private(set) var waitlists: [String: [String]] = [:]
    /// The first decision about each referral: `reserved` or `waitlisted`.
    private(set) var firstDecisions: [String: [String]] = [:]
    private(set) var highestOccupancy: [String: Int] = [:]
    /// ASF ids where a place was freed while participants waited: the next decision there must place the first
    /// (the places are constant and active in the scenarios replayed).
    private var owed: Set<String> = []

    init(places: [String: Int]) {
        self.places = places
    }

    /// Applies one event, recording an issue for every broken invariant.
    mutating func apply(_ payload: EventPayload) {
        if payload.eventType != .placementPlacedFromWaitlist, let asfId = (payload.data as? PlacementEvent)?.asfId {
            #expect(!owed.contains(asfId), "a place at \(asfId) was freed and not given to the first waiting")
        }
        switch payload {
        case .placementReserved(let event):
            firstDecisions[event.referralId, default: []].append("reserved")
            #expect(waitlists[event.asfId, default: []].isEmpty, "\(event.referralId) reserved while others wait")
            take(event)
        case .placementWaitlisted(let event):
            firstDecisions[event.referralId, default: []].append("waitlisted")
            waitlists[event.asfId, default: []].append(event.referralId)
            #expect(event.position == waitlists[event.asfId]?.count, "the position of \(event.referralId)")
        case .placementPlacedFromWaitlist(let event):
            #expect(waitlists[event.asfId]?.first == event.referralId, "first in, first out at \(event.asfId)")
            waitlists[event.asfId]?.removeAll { $0 == event.referralId }
            owed.remove(event.asfId)
            take(event)
        case .placementReleased(let event):
            #expect(
                occupants[event.asfId]?.remove(event.referralId) != nil, "\(event.referralId) released without a place")
            freed(event.asfId)
        case .placementWithdrawn(let event):
            if occupants[event.asfId]?.remove(event.referralId) != nil {
                freed(event.asfId)
            } else {
                let before = waitlists[event.asfId]?.count ?? 0
                waitlists[event.asfId]?.removeAll { $0 == event.referralId }
                #expect(waitlists[event.asfId]?.count == before - 1, "\(event.referralId) withdrawn but not held")
            }
        default:
            Issue.record("not a placement event: \(payload.eventType)")
        }
    }

    private mutating func freed(_ asfId: String) {
        if !(waitlists[asfId] ?? []).isEmpty { owed.insert(asfId) }
    }

    private mutating func take(_ event: PlacementEvent) {
        let (inserted, _) = occupants[event.asfId, default: []].insert(event.referralId)
        #expect(inserted, "\(event.referralId) placed twice")
        let occupancy = occupants[event.asfId]?.count ?? 0
        highestOccupancy[event.asfId] = max(highestOccupancy[event.asfId] ?? 0, occupancy)
        #expect(occupancy <= places[event.asfId] ?? 0, "occupancy of \(event.asfId) above its places")
    }
}
