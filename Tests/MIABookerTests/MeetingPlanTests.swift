import MIABooker
import MIAContracts
import Testing

@Suite("MeetingPlan: which meetings a referral gets, and on which working days")
struct MeetingPlanTests {
    let calendar = WorkingCalendar()

    @Test("Trepartsmöte from the next working day, follow-ups every 4 weeks, next step before the planned end")
    func plan() {
        // Decided Thursday 2019-12-19; Christmas Eve to Boxing Day, New Year's Eve and Day and Epiphany are off.
        let plan = MeetingPlan(
            referralId: "ref-1", decisionDate: day(2019, 12, 19), plannedStart: day(2020, 1, 13),
            plannedEnd: day(2020, 4, 30), rules: BookerConfiguration(), calendar: calendar)
        #expect(
            plan.items.map(\.meetingId) == [
                "ref-1/trepartsmote", "ref-1/followup-1", "ref-1/followup-2", "ref-1/followup-3", "ref-1/next-step",
            ])
        let treparts = plan.items[0].days.map(\.description)
        #expect(
            treparts == [
                "2019-12-20", "2019-12-23", "2019-12-27", "2019-12-30", "2020-01-02", "2020-01-03", "2020-01-07",
                "2020-01-08", "2020-01-09", "2020-01-10",
            ])
        // Due 10 February, 9 March and 6 April (Good Friday 10 April and Easter Monday 13 April are off).
        #expect(plan.items[1].days.first == day(2020, 2, 10) && plan.items[1].days.count == 5)
        #expect(plan.items[2].days.first == day(2020, 3, 9))
        #expect(
            plan.items[3].days.map(\.description) == [
                "2020-04-06", "2020-04-07", "2020-04-08", "2020-04-09", "2020-04-14",
            ])
        // The last 10 working days before 30 April: 16-29 April.
        #expect(plan.items[4].days.first == day(2020, 4, 16) && plan.items[4].days.last == day(2020, 4, 29))
        #expect(plan.items[4].days.count == 10)
        #expect(plan.items.allSatisfy { $0.days.allSatisfy(calendar.isWorkingDay) })
    }

    @Test("A short insats: the next step only after the trepartsmöte window, or none at all")
    func shortInsats() {
        func plan(end: CalendarDate) -> MeetingPlan {
            MeetingPlan(
                referralId: "ref-2", decisionDate: day(2019, 2, 4), plannedStart: day(2019, 2, 11), plannedEnd: end,
                rules: BookerConfiguration(), calendar: calendar)
        }
        // The trepartsmöte window is 5-18 February.
        #expect(plan(end: day(2019, 2, 15)).items.map(\.kind) == [.trepartsmote])
        let short = plan(end: day(2019, 2, 22))
        #expect(short.items.map(\.kind) == [.trepartsmote, .nextStep])
        #expect(short.items[1].days == [day(2019, 2, 19), day(2019, 2, 20), day(2019, 2, 21)])
    }
}
