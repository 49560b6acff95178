import Testing

@testable import MIAStats

@Suite("When the publisher recomputes")
struct PublicationScheduleTests {
    @Test("After one quiet check, not while the facts change, and never twice for one revision")
    func quiet() {
        var schedule = PublicationSchedule(maxDelay: .seconds(60))
        let start = ContinuousClock.now
        let decision1 = schedule.shouldPublish(revision: 0, at: start)
        #expect(!decision1, "the first check only observes")
        let decision2 = schedule.shouldPublish(revision: 0, at: start + .seconds(5))
        #expect(decision2, "quiet: publish what there is")
        schedule.didPublish(revision: 0)
        let decision3 = schedule.shouldPublish(revision: 0, at: start + .seconds(10))
        #expect(!decision3)
        let decision4 = schedule.shouldPublish(revision: 7, at: start + .seconds(15))
        #expect(!decision4, "changing")
        let decision5 = schedule.shouldPublish(revision: 9, at: start + .seconds(20))
        #expect(!decision5, "still changing")
        let decision6 = schedule.shouldPublish(revision: 9, at: start + .seconds(25))
        #expect(decision6, "quiet for one check")
        schedule.didPublish(revision: 9)
        let decision7 = schedule.shouldPublish(revision: 9, at: start + .seconds(30))
        #expect(!decision7)
    }

    @Test("At the latest the maximum delay after the first unpublished change, while changes go on")
    func maxDelay() {
        var schedule = PublicationSchedule(maxDelay: .seconds(20))
        let start = ContinuousClock.now
        schedule.didPublish(revision: 0)
        var published: [Int] = []
        for check in 1...12 {
            if schedule.shouldPublish(revision: Int64(check), at: start + .seconds(5 * check)) {
                published.append(check)
                schedule.didPublish(revision: Int64(check))
            }
        }
        #expect(published == [5, 10])
    }

    @Test("What another replica published is not published again, and an older reading never goes back")
    func otherReplica() {
        var schedule = PublicationSchedule(maxDelay: .seconds(60))
        let start = ContinuousClock.now
        _ = schedule.shouldPublish(revision: 4, at: start)
        schedule.observe(published: 4)
        let decision1 = schedule.shouldPublish(revision: 4, at: start + .seconds(5))
        #expect(!decision1, "another replica published revision 4")
        schedule.observe(published: 2)
        let decision2 = schedule.shouldPublish(revision: 4, at: start + .seconds(10))
        #expect(!decision2)
        let decision3 = schedule.shouldPublish(revision: 6, at: start + .seconds(15))
        #expect(!decision3, "changing")
        let decision4 = schedule.shouldPublish(revision: 6, at: start + .seconds(20))
        #expect(decision4, "quiet and not yet published")
    }
}
