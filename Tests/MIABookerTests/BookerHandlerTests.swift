import Foundation
import MIABooker
import MIAContracts
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("BookerHandler on a SQLite store: bookings, outcomes, reschedules, redelivery")
struct BookerHandlerTests {
    typealias E = BookerEvents

    /// Rules that make results easy to read: one meeting per staff member per day, a 3-day window, no follow-ups
    /// inside short insatser.
    static var tight: BookerConfiguration {
        var rules = BookerConfiguration()
        rules.maxMeetingsPerStaffPerDay = 1
        rules.windowWorkingDays = 3
        return rules
    }

    @Test(
        "Every meeting of a referral is booked on a working day in office hours, free for every party",
        arguments: TestStore.available)
    func planOfOneReferral(store kind: TestStore) async throws {
        let store = try await BookerStore(store: kind)
        // Decided Friday 2019-04-12; Good Friday to Easter Monday (19-22 April) are not working days.
        let lines = try await store.lines([
            E.referral(1, decided: day(2019, 4, 12), start: day(2019, 4, 29), end: day(2019, 8, 30))
        ])
        // Follow-ups due 27 May, 24 June and 22 July; the one due 19 August would overlap the next-step window
        // (the last 10 working days before 30 August, from 16 August).
        #expect(lines.count == 5, "\(lines)")
        #expect(lines.first?.hasPrefix("booked ref-1/trepartsmote ") == true)
        #expect(lines.last?.hasPrefix("booked ref-1/next-step ") == true)
        #expect(lines.filter { $0.contains("/followup-") }.count == 3, "every 4 weeks from 29 April: \(lines)")
        for (number, due) in [(1, day(2019, 5, 27)), (2, day(2019, 6, 24)), (3, day(2019, 7, 22))] {
            let meeting = try #require(try await store.booked().first { $0.meetingId == "ref-1/followup-\(number)" })
            let day = WorkingCalendar().day(of: meeting.start)
            #expect(day >= due && day <= due.adding(7), "followup-\(number) on \(day), due \(due)")
        }
        let booked = try await store.booked()
        let calendar = WorkingCalendar()
        for meeting in booked {
            let local = calendar.day(of: meeting.start)
            #expect(calendar.isWorkingDay(local), "\(meeting.meetingId) on \(local)")
            #expect(
                calendar.minute(of: meeting.start) >= 8 * 60 + 30 && calendar.minute(of: meeting.end) <= 16 * 60 + 30)
            #expect(meeting.end.timeIntervalSince(meeting.start) == 3600)
        }
        let treparts = try #require(booked.first { $0.kind == .trepartsmote })
        let trepartsDay = calendar.day(of: treparts.start)
        #expect(trepartsDay > day(2019, 4, 12) && trepartsDay <= day(2019, 5, 7), "10 working days from 15 April")
        #expect(![day(2019, 4, 19), day(2019, 4, 22)].contains(trepartsDay))
        let nextStep = try #require(booked.first { $0.kind == .nextStep })
        #expect(calendar.day(of: nextStep.start) < day(2019, 8, 30))
        #expect(calendar.day(of: nextStep.start) >= day(2019, 8, 16))
    }

    @Test(
        "The same input gives the same slots; different meeting ids spread over the window",
        arguments: TestStore.available)
    func deterministicAndSpread(store kind: TestStore) async throws {
        let first = try await BookerStore(store: kind)
        let second = try await BookerStore(store: kind)
        let events = (1...30).map { E.referral($0, contact: "ins-\($0)") }
        let a = try await first.lines(events)
        let b = try await second.lines(events)
        #expect(a == b)
        let trepartsDays = Set(
            try await first.booked().filter { $0.kind == .trepartsmote }.map { WorkingCalendar().day(of: $0.start) })
        #expect(trepartsDays.count >= 5, "30 independent meetings fall on \(trepartsDays.count) days of 10")
        let starts = Set(try await first.booked().map { WorkingCalendar().minute(of: $0.start) })
        #expect(starts.count >= 5, "not always the first morning slot")
    }

    @Test(
        "A contact person busy all day long on every day of the window: unschedulable with a reason",
        arguments: TestStore.available)
    func everyoneBusy(store kind: TestStore) async throws {
        let store = try await BookerStore(Self.tight, store: kind)
        let calendar = WorkingCalendar()
        let window = calendar.workingDays(from: day(2019, 2, 5), count: 3)
        let busy = window.map { E.busy("ins-1", $0, from: 8 * 60, to: 17 * 60, id: "busy-\($0)") }
        let lines = try await store.lines(busy + [E.referral(1)])
        #expect(lines == ["unschedulable ref-1/trepartsmote no-free-slot #0"])
        // Free the last afternoon: now the meeting fits exactly there, after the busy period and its buffer.
        let lastDay = window[2]
        let shorter = E.busy("ins-1", lastDay, from: 8 * 60, to: 15 * 60, id: "busy-\(lastDay)")
        let second = try await store.lines([shorter, E.referral(2)])
        #expect(second == ["booked ref-2/trepartsmote 2019-02-07 15:30-16:30 hl-2 ins-1 #0"])
    }

    @Test(
        "A day with all of an insats's staff fully busy gets no meeting; the others take the load",
        arguments: TestStore.available)
    func dayWithAllStaffBusy(store kind: TestStore) async throws {
        var rules = BookerConfiguration()
        rules.insatsStaff = ["VarNa": ["varna-ins-1", "varna-ins-2"]]
        let store = try await BookerStore(rules, store: kind)
        let blocked = day(2019, 2, 12)
        let busy = ["varna-ins-1", "varna-ins-2"].map {
            E.busy($0, blocked, from: 7 * 60, to: 18 * 60, id: "busy-\($0)")
        }
        let lines = try await store.lines(busy + (1...40).map { E.referral($0, contact: nil) })
        #expect(lines.count == 40 && lines.allSatisfy { $0.hasPrefix("booked") }, "\(lines)")
        let days = try await store.booked().map { WorkingCalendar().day(of: $0.start) }
        #expect(!days.contains(blocked))
        #expect(Set(days).count == 9, "every other day of the window is used: \(Set(days))")
    }

    @Test(
        "At most N meetings per staff member per day; a full window gives unschedulable", arguments: TestStore.available
    )
    func dailyLimit(store kind: TestStore) async throws {
        let store = try await BookerStore(Self.tight, store: kind)
        let lines = try await store.lines((1...4).map { E.referral($0) })
        #expect(lines.filter { $0.hasPrefix("booked") }.count == 3, "\(lines)")
        #expect(lines.filter { $0.hasPrefix("unschedulable") } == ["unschedulable ref-4/trepartsmote no-free-slot #0"])
        let days = try await store.booked().map { WorkingCalendar().day(of: $0.start) }
        #expect(Set(days).count == 3, "one a day: \(days)")
    }

    @Test(
        "The participant and the handläggare are parties too: no overlap with their other meetings",
        arguments: TestStore.available)
    func participantAndHandlaggare(store kind: TestStore) async throws {
        let store = try await BookerStore(Self.tight, store: kind)
        // Ten referrals of one handläggare to ten contact persons: the handläggare allows one a day.
        let lines = try await store.lines((1...10).map { E.referral($0, contact: "ins-\($0)", handlaggare: "hl-x") })
        #expect(lines.filter { $0.hasPrefix("booked") }.count == 3)
        let meetings = try await store.booked().sorted { $0.start < $1.start }
        for (a, b) in zip(meetings, meetings.dropFirst()) {
            #expect(b.start >= a.end.addingTimeInterval(15 * 60), "\(a.meetingId) and \(b.meetingId)")
        }
    }

    @Test(
        "No contact named and no staff configured: unschedulable; the configuration's least-loaded is chosen",
        arguments: TestStore.available)
    func staffChoice(store kind: TestStore) async throws {
        let bare = try await BookerStore(Self.tight, store: kind)
        #expect(
            try await bare.lines([E.referral(1, contact: nil)]) == [
                "unschedulable ref-1/trepartsmote no-insats-staff #0"
            ])
        var rules = Self.tight
        rules.insatsStaff = ["VarNa": ["varna-ins-1", "varna-ins-2"], "HBS": ["hbs-ins-1"]]
        let store = try await BookerStore(rules, store: kind)
        let lines = try await store.lines((1...3).map { E.referral($0, contact: nil) })
        #expect(lines.map { $0.split(separator: " ")[5] } == ["varna-ins-1", "varna-ins-2", "varna-ins-1"])
    }

    @Test(
        "An outcome cancels the meetings after the last day; an outcome before its anvisning prevents booking",
        arguments: TestStore.available)
    func outcomes(store kind: TestStore) async throws {
        let store = try await BookerStore(store: kind)
        let booked = try await store.lines([E.referral(1, start: day(2019, 2, 18), end: day(2019, 6, 28))])
        #expect(booked.count == 5, "\(booked)")
        // Last day 2019-03-22: the trepartsmöte and the first follow-up (due 18 March) stay, the rest is cancelled.
        let meetings = try await store.booked()
        let lastDay = day(2019, 3, 22)
        let after = meetings.filter { WorkingCalendar().day(of: $0.start) > lastDay }.map(\.meetingId)
        let cancelled = try await store.lines([E.outcome(1, on: lastDay, kind: .interrupted)])
        #expect(cancelled == after.map { "cancelled \($0) avbrott #1" })
        #expect(!after.isEmpty)
        #expect(try await store.booked().map(\.meetingId) == meetings.map(\.meetingId).filter { !after.contains($0) })
        // Outcome first, anvisning later: never booked, and the outcome cancels nothing.
        #expect(try await store.lines([E.outcome(2, on: day(2019, 3, 1)), E.referral(2)]) == [])
        #expect(try await store.booked().allSatisfy { $0.referralId == "ref-1" })
    }

    @Test("Redelivery: the same anvisning under another event id books nothing more", arguments: TestStore.available)
    func redelivery(store kind: TestStore) async throws {
        let store = try await BookerStore(store: kind)
        let first = try await store.lines([E.referral(1)])
        #expect(!first.isEmpty)
        #expect(try await store.lines([E.referral(1, id: "referral-1-again")]) == [])
        #expect(try await store.booked().count == first.count)
    }

    @Test(
        "A reschedule across the spring and autumn clock changes keeps the local wall-clock time",
        arguments: TestStore.available)
    func daylightSaving(store kind: TestStore) async throws {
        for (decided, before, after, utcBefore, utcAfter) in [
            // CET → CEST on Sunday 2019-03-31: 08:30 local is 07:30Z before and 06:30Z after.
            (day(2019, 3, 28), "2019-03-29", "2019-04-01", "07:30", "06:30"),
            // CEST → CET on Sunday 2019-10-27: 08:30 local is 06:30Z before and 07:30Z after.
            (day(2019, 10, 24), "2019-10-25", "2019-10-28", "06:30", "07:30"),
        ] {
            var rules = BookerConfiguration()
            rules.windowWorkingDays = 1
            rules.slotStepMinutes = 480  // one candidate a day: 08:30
            let store = try await BookerStore(rules, store: kind)
            let booked = try await store.lines([
                E.referral(1, decided: decided, start: decided, end: decided.adding(10))
            ])
            #expect(booked.first == "booked ref-1/trepartsmote \(before) 08:30-09:30 hl-1 ins-1 #0")
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = .gmt
            func utcClock(_ date: Date) -> String {
                let components = utc.dateComponents([.hour, .minute], from: date)
                return String(format: "%02d:%02d", components.hour!, components.minute!)
            }
            #expect(
                try await store.booked().filter { $0.kind == .trepartsmote }.map { utcClock($0.start) } == [utcBefore])
            let moved = try await store.lines([
                E.reschedule(1, meeting: "ref-1/trepartsmote", id: "move-\(decided)", at: E.baseTime)
            ])
            #expect(moved == ["rescheduled ref-1/trepartsmote \(after) 08:30-09:30 hl-1 ins-1 #1"])
            #expect(
                try await store.booked().filter { $0.kind == .trepartsmote }.map { utcClock($0.start) } == [utcAfter])
        }
    }

    @Test(
        "A busy period arriving after a booking moves the meetings it collides with, buffer included",
        arguments: TestStore.available)
    func busyAfterBooking(store kind: TestStore) async throws {
        let store = try await BookerStore(Self.tight, store: kind)
        _ = try await store.lines([E.referral(1), E.referral(2, contact: "ins-2")])
        let meetings = try await store.booked()
        let first = try #require(meetings.first { $0.referralId == "ref-1" })
        let clock = StockholmClock()
        let local = clock.day(first.start)
        let end = clock.minute(first.end)
        // Ends 10 minutes before the meeting's start (inside the buffer) on the contact person's calendar.
        let start = clock.minute(first.start)
        let near = E.busy("ins-1", local, from: start - 70, to: start - 10, id: "near")
        let far = E.busy("ins-1", local, from: end + 15, to: end + 45, id: "far")  // just outside the buffer
        #expect(try await store.lines([far]) == [])
        let lines = try await store.lines([near])
        #expect(lines.count == 1 && lines[0].hasPrefix("rescheduled ref-1/trepartsmote ") && lines[0].hasSuffix("#1"))
        let moved = try #require(try await store.booked().first { $0.referralId == "ref-1" })
        let busy = clock.instant(local, minute: start - 70)..<clock.instant(local, minute: start - 10)
        let guarded = moved.start.addingTimeInterval(-15 * 60)..<moved.end.addingTimeInterval(15 * 60)
        #expect(!guarded.overlaps(busy))
        #expect(
            try await store.booked().first { $0.referralId == "ref-2" }?.start
                == meetings.first { $0.referralId == "ref-2" }?.start)
    }

    @Test("A reschedule with no free slot: unschedulable, and the booking stays", arguments: TestStore.available)
    func rescheduleWithoutSlot(store kind: TestStore) async throws {
        let store = try await BookerStore(Self.tight, store: kind)
        _ = try await store.lines([E.referral(1)])
        let meeting = try #require(try await store.booked().first)
        let calendar = WorkingCalendar()
        let days = calendar.workingDays(from: calendar.nextWorkingDay(after: calendar.day(of: meeting.start)), count: 3)
        let busy = days.map { E.busy("ins-1", $0, from: 8 * 60, to: 17 * 60, id: "b-\($0)") }
        let lines = try await store.lines(
            busy + [E.reschedule(1, meeting: meeting.meetingId, id: "r1", at: E.baseTime)])
        #expect(lines == ["unschedulable ref-1/trepartsmote no-free-slot #1"])
        #expect(try await store.booked().map(\.start) == [meeting.start])
        await #expect(throws: HandlerRejection.self) {
            try await store.apply(E.reschedule(1, meeting: "ref-1/nothing", id: "r2", at: E.baseTime))
        }
    }

    @Test(
        "An extension moves the next-step meeting before the new end and adds follow-ups",
        arguments: TestStore.available)
    func extensionMovesNextStep(store kind: TestStore) async throws {
        let store = try await BookerStore(store: kind)
        let first = try await store.lines([E.referral(1, start: day(2019, 2, 18), end: day(2019, 4, 30))])
        #expect(first.contains { $0.hasPrefix("booked ref-1/next-step 2019-04") })
        let lines = try await store.lines([E.extension_(1, to: day(2019, 6, 28), on: day(2019, 4, 1))])
        #expect(
            lines.contains { $0.hasPrefix("rescheduled ref-1/next-step 2019-06") && $0.hasSuffix("#1") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("booked ref-1/followup-3 ") }, "\(lines)")
    }

    @Test(
        "The store refuses an overlapping claim and an excess over the daily limit, whatever the handler checked",
        arguments: TestStore.available)
    func constraints(store kind: TestStore) async throws {
        let store = try await BookerStore(Self.tight, store: kind)
        _ = try await store.lines([E.referral(1)])
        await #expect(throws: (any Error).self) {
            try await store.store.write { transaction in
                let row = try #require(try transaction.queryOne("SELECT person, quantum FROM booker_occupancy", []))
                try transaction.execute(
                    "INSERT INTO booker_occupancy (person, quantum, meeting_id) VALUES (?, ?, 'intruder')",
                    [row["person"], row["quantum"]])
            }
        }
        await #expect(throws: (any Error).self) {
            try await store.store.write { transaction in
                try transaction.execute("UPDATE booker_daily_load SET meetings = meetings + 1", [])
            }
        }
    }
}

extension CalendarDate {
    fileprivate func adding(_ days: Int) -> CalendarDate {
        CalendarDate(Date(timeIntervalSince1970: Double(days) * 86_400 + 43_200 + Double(dayIndex) * 86_400), in: .gmt)
    }

    private var dayIndex: Int {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = .gmt
        let date = utc.date(from: DateComponents(year: year, month: month, day: day))!
        return Int(date.timeIntervalSince1970 / 86_400)
    }
}
