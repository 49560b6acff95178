import Foundation
import MIACapacity
import MIAContracts
import Testing

@Suite("CapacityLedger: the rules of places and waitlists, without a database")
struct CapacityLedgerTests {
    let asf = AsfActivity(asfId: "asf-a", activity: "kafe")

    func candidate(_ index: Int, start: CalendarDate = date(2019, 2, 11)) -> PlacementCandidate {
        PlacementCandidate(
            referralId: "ref-\(index)", participantRef: CapacityEvents.participant(index), earliestStart: start)
    }

    func lines(_ decisions: [CapacityDecision]) -> [String] {
        decisions.map { decision in
            let position = decision.placement.position.map { " #\($0)" } ?? ""
            return
                "\(decision.type.name.split(separator: ".").last!) \(decision.placement.referralId)\(position) \(decision.placement.date)"
        }
    }

    @Test("Free places are reserved, then the waitlist fills first in, first out and is served in order")
    func reserveWaitAndServe() {
        var ledger = CapacityLedger(asf: asf, places: 2, status: .active, availableFrom: date(2019, 2, 1))
        let day = date(2019, 2, 4)
        #expect(lines(ledger.refer(candidate(1), on: day)) == ["reserved ref-1 2019-02-11"])
        #expect(lines(ledger.refer(candidate(2, start: date(2019, 3, 1)), on: day)) == ["reserved ref-2 2019-03-01"])
        #expect(lines(ledger.refer(candidate(3), on: day)) == ["waitlisted ref-3 #1 2019-02-04"])
        #expect(lines(ledger.refer(candidate(4), on: day)) == ["waitlisted ref-4 #2 2019-02-04"])
        #expect(ledger.refer(candidate(3), on: day).isEmpty, "a referral is held once")
        #expect(
            lines(ledger.end(referralId: "ref-1", on: date(2019, 5, 31)))
                == ["released ref-1 2019-05-31", "placed-from-waitlist ref-3 2019-06-01"])
        #expect(lines(ledger.withdraw(referralId: "ref-4", on: date(2019, 6, 3))) == ["withdrawn ref-4 2019-06-03"])
        #expect(ledger.occupied == 2 && ledger.waitlistLength == 0 && ledger.free == 0)
    }

    @Test("A decrease evicts nobody and places nobody until occupancy falls below it; an increase serves at once")
    func decreaseAndIncrease() {
        var ledger = CapacityLedger(asf: asf, places: 3, status: .active, availableFrom: date(2019, 2, 1))
        for index in 1...5 { _ = ledger.refer(candidate(index), on: date(2019, 2, 4)) }
        #expect(ledger.declare(places: 1, status: .active, from: date(2019, 3, 1)).isEmpty)
        #expect(ledger.occupied == 3 && ledger.free == 0 && ledger.snapshot(asOf: .init()).free == 0)
        #expect(lines(ledger.end(referralId: "ref-1", on: date(2019, 3, 10))) == ["released ref-1 2019-03-10"])
        #expect(lines(ledger.end(referralId: "ref-2", on: date(2019, 3, 11))) == ["released ref-2 2019-03-11"])
        #expect(
            lines(ledger.end(referralId: "ref-3", on: date(2019, 3, 12)))
                == ["released ref-3 2019-03-12", "placed-from-waitlist ref-4 2019-03-13"])
        #expect(
            lines(ledger.declare(places: 2, status: .active, from: date(2019, 4, 1)))
                == ["placed-from-waitlist ref-5 2019-04-01"])
    }

    @Test("A paused activity waitlists every anvisning; becoming active serves the waitlist")
    func pause() {
        var ledger = CapacityLedger(asf: asf, places: 2, status: .paused, availableFrom: date(2019, 2, 1))
        #expect(lines(ledger.refer(candidate(1), on: date(2019, 2, 4))) == ["waitlisted ref-1 #1 2019-02-04"])
        #expect(lines(ledger.end(referralId: "ref-1", on: date(2019, 2, 5))) == ["withdrawn ref-1 2019-02-05"])
        _ = ledger.refer(candidate(2), on: date(2019, 2, 6))
        #expect(
            lines(ledger.declare(places: 2, status: .active, from: date(2019, 2, 18)))
                == ["placed-from-waitlist ref-2 2019-02-18"])
    }

    @Test("With only the front of the waitlist in memory, positions count the participants behind it")
    func partialWaitlist() {
        var ledger = CapacityLedger(
            asf: asf, places: 1, status: .active, availableFrom: date(2019, 2, 1), occupants: [candidate(1)],
            waitlist: [candidate(2), candidate(3)], waitingBeyond: 5)
        #expect(lines(ledger.refer(candidate(9), on: date(2019, 2, 4))) == ["waitlisted ref-9 #8 2019-02-04"])
        #expect(ledger.waitlistLength == 8)
        #expect(
            lines(ledger.end(referralId: "ref-1", on: date(2019, 2, 28)))
                == ["released ref-1 2019-02-28", "placed-from-waitlist ref-2 2019-03-01"])
        #expect(ledger.waitlistLength == 7)
    }
}
