import Foundation
import MIACapacity
import MIAContracts
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("CapacityHandler on each store: scripted sequences give exact placement events")
struct CapacityHandlerTests {
    typealias E = CapacityEvents

    @Test(
        "Declarations, anvisningar, outcomes, withdrawals and capacity changes, in one script",
        arguments: TestStore.available)
    func scriptedSequence(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        let lines = try await store.decisions([
            E.declaration("asf-a", "kafe", places: 2, id: "d1"),
            E.referral(1, asf: "asf-a", activity: "kafe"),
            E.referral(2, asf: "asf-a", activity: nil),  // the ASF's only activity
            E.referral(3, asf: "asf-a", activity: "kafe", preferred: date(2019, 3, 4)),
            E.referral(4, asf: "asf-a", activity: "kafe"),
            E.referral(5, asf: "asf-a", activity: "kafe"),
            E.outcome(1, on: date(2019, 4, 30)),  // frees a place: ref-3 gets it in the same step
            E.declaration("asf-a", "kafe", places: 1, id: "d2"),  // below occupancy: nobody leaves
            E.outcome(2, on: date(2019, 5, 10)),  // occupancy 2 → 1: still not below 1
            E.declaration("asf-a", "kafe", places: 3, id: "d3"),  // an increase serves the waitlist at once
            E.withdrawal(4, asf: "asf-a", activity: "kafe"),
            E.outcome(6),  // before its anvisning
            E.referral(6, asf: "asf-a", activity: "kafe"),  // … so never placed
            E.referral(7, asf: "asf-b", activity: "snickeri"),  // unknown ASF
            E.referral(8, asf: "asf-a", activity: "kafe", participant: E.participant(5)),  // twice at one ASF
            E.referral(1, asf: "asf-a", activity: "kafe", id: "referral-1-again"),  // ended: not placed again
        ])
        #expect(
            lines == [
                "reserved ref-1 asf-a/kafe 2019-02-11",
                "reserved ref-2 asf-a/kafe 2019-02-11",
                "waitlisted ref-3 asf-a/kafe #1 2019-02-04",
                "waitlisted ref-4 asf-a/kafe #2 2019-02-04",
                "waitlisted ref-5 asf-a/kafe #3 2019-02-04",
                "released ref-1 asf-a/kafe 2019-04-30",
                "placed ref-3 asf-a/kafe 2019-05-01",
                "released ref-2 asf-a/kafe 2019-05-10",
                "placed ref-4 asf-a/kafe 2019-02-11",
                "placed ref-5 asf-a/kafe 2019-02-11",
                "withdrawn ref-4 asf-a/kafe 2019-02-06",
                "deferred: unknown ASF asf-b: no capacity has been declared for it",
                "rejected: the participant already holds or waits for a place at ASF asf-a (referral ref-5)",
            ])
        let report = try await CapacityReport.read(from: store.store)
        #expect(report.rows.map { "\($0.places) \($0.occupied) \($0.free) \($0.waitlistLength)" } == ["3 2 1 0"])
    }

    @Test("A status snapshot follows every change and every declaration", arguments: TestStore.available)
    func snapshots(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        let lines = try await store.snapshots([
            E.declaration("asf-a", "kafe", places: 1, status: .paused, id: "d1"),
            E.referral(1, asf: "asf-a", activity: "kafe"),
            E.referral(1, asf: "asf-a", activity: "kafe", id: "again"),  // no change, no snapshot
            E.declaration("asf-a", "kafe", places: 1, id: "d2"),
            E.referral(2, asf: "asf-a", activity: "kafe"),
            E.outcome(9),  // unknown referral: no change
        ])
        #expect(
            lines == [
                "asf-a/kafe paused 1 0 1 0",
                "asf-a/kafe paused 1 0 1 1",
                "asf-a/kafe active 1 1 0 0",
                "asf-a/kafe active 1 1 0 1",
            ])
    }

    @Test(
        "An anvisning without an activity to an ASF with several activities is rejected with the reason",
        arguments: TestStore.available)
    func ambiguousActivity(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        let lines = try await store.decisions([
            E.declaration("asf-a", "kafe", places: 1, id: "d1"),
            E.declaration("asf-a", "tryckeri", places: 1, id: "d2"),
            E.referral(1, asf: "asf-a", activity: nil),
            E.referral(2, asf: "asf-a", activity: "bageri"),
        ])
        #expect(
            lines == [
                "rejected: the anvisning names no activity and ASF asf-a has several: kafe, tryckeri",
                "deferred: unknown activity bageri at ASF asf-a; declared: kafe, tryckeri",
            ])
    }

    @Test(
        "An outcome for a participant deep in the waitlist, beyond what a change loads, removes them in order",
        arguments: TestStore.available)
    func deepWaitlist(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        var events = [E.declaration("asf-a", "kafe", places: 1, id: "d1")]
        events += (1...6).map { E.referral($0, asf: "asf-a", activity: "kafe") }
        events += [E.outcome(5, on: date(2019, 3, 1)), E.referral(7, asf: "asf-a", activity: "kafe"), E.outcome(1)]
        let lines = try await store.decisions(events)
        #expect(
            Array(lines.suffix(4)) == [
                "withdrawn ref-5 asf-a/kafe 2019-03-01",
                "waitlisted ref-7 asf-a/kafe #5 2019-02-04",
                "released ref-1 asf-a/kafe 2019-05-31",
                "placed ref-2 asf-a/kafe 2019-06-01",
            ])
        let report = try await CapacityReport.read(from: store.store)
        #expect(report.rows.map { "\($0.occupied) \($0.waitlistLength)" } == ["1 4"])
    }

    @Test(
        "The same anvisningar and outcomes again, under new event ids, change nothing", arguments: TestStore.available)
    func redeliveryUnderNewIds(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        var events = [E.declaration("asf-a", "kafe", places: 2, id: "d1")]
        events += (1...5).map { E.referral($0, asf: "asf-a", activity: "kafe") }
        events += [E.outcome(1), E.outcome(4)]
        let first = try await store.decisions(events)
        #expect(first.count == 8)
        let again = events.dropFirst().map { event in
            CloudEvent(id: event.id + "-again", source: event.source, time: event.time, payload: event.payload)
        }
        #expect(try await store.decisions(again).isEmpty)
        let report = try await CapacityReport.read(from: store.store)
        #expect(report.rows.map { "\($0.occupied) \($0.waitlistLength)" } == ["2 1"])
    }

    @Test(
        "The store itself refuses a placement beyond the places, whatever the handler decides",
        arguments: TestStore.available)
    func storeConstraint(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        try await store.apply(E.declaration("asf-a", "kafe", places: 1, id: "d1"))
        try await store.apply(E.referral(1, asf: "asf-a", activity: "kafe"))
        func insert(_ referral: String, _ participant: String) async -> Bool {
            (try? await store.store.write { transaction in
                try transaction.execute(
                    """
                    INSERT INTO capacity_occupancy (referral_id, asf_id, activity, participant_ref, earliest_start, since)
                    VALUES (?, 'asf-a', 'kafe', ?, '2019-02-11', '2019-02-11')
                    """, [.text(referral), .text(participant)])
            }) != nil
        }
        #expect(await !insert("ref-x", E.participant(99)), "the trigger refuses a second occupant of one place")
        try await store.apply(E.declaration("asf-a", "kafe", places: 2, id: "d2"))
        #expect(await !insert("ref-y", E.participant(1)), "UNIQUE (asf_id, participant_ref)")
        #expect(await insert("ref-z", E.participant(98)))
    }

    @Test(
        "mia asf status: a table of places, occupied, free and waitlist per ASF and activity",
        arguments: TestStore.available)
    func statusTable(store kind: TestStore) async throws {
        let store = try await CapacityStore(kind)
        _ = try await store.decisions([
            E.declaration("asf-a", "kafe", places: 2, id: "d1"),
            E.declaration("asf-b", "snickeri", places: 1, status: .paused, id: "d2"),
            E.referral(1, asf: "asf-a", activity: "kafe"),
            E.referral(2, asf: "asf-b", activity: "snickeri"),
        ])
        let all = try await CapacityReport.read(from: store.store)
        #expect(
            all.table == """
                ASF    ACTIVITY  STATUS  PLACES  OCCUPIED  FREE  WAITLIST
                asf-a  kafe      active       2         1     1         0
                asf-b  snickeri  paused       1         0     1         1

                """)
        #expect(try await CapacityReport.read(from: store.store, asfId: "asf-b").rows.map(\.activity) == ["snickeri"])
    }
}
