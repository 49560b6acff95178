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

    init(places: [String: Int]) {
        self.places = places
    }

    /// Applies one event, recording an issue for every broken invariant.
    mutating func apply(_ payload: EventPayload) {
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
            take(event)
        case .placementReleased(let event):
            #expect(occupants[event.asfId]?.remove(event.referralId) != nil, "\(event.referralId) released without a place")
        case .placementWithdrawn(let event):
            if occupants[event.asfId]?.remove(event.referralId) == nil {
                let before = waitlists[event.asfId]?.count ?? 0
                waitlists[event.asfId]?.removeAll { $0 == event.referralId }
                #expect(waitlists[event.asfId]?.count == before - 1, "\(event.referralId) withdrawn but not held")
            }
        default:
            Issue.record("not a placement event: \(payload.eventType)")
        }
    }

    private mutating func take(_ event: PlacementEvent) {
        let (inserted, _) = occupants[event.asfId, default: []].insert(event.referralId)
        #expect(inserted, "\(event.referralId) placed twice")
        let occupancy = occupants[event.asfId]?.count ?? 0
        highestOccupancy[event.asfId] = max(highestOccupancy[event.asfId] ?? 0, occupancy)
        #expect(occupancy <= places[event.asfId] ?? 0, "occupancy of \(event.asfId) above its places")
    }
}
