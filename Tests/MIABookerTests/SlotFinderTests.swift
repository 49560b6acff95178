import Foundation
import MIABooker
import MIAContracts
import Testing

@Suite("SlotFinder: candidates, buffers, limits and spread, without I/O")
struct SlotFinderTests {
    let finder = SlotFinder(rules: BookerConfiguration())
    let clock = StockholmClock()

    @Test("Candidates keep their local wall-clock times across the spring and autumn clock changes")
    func candidatesAcrossDaylightSaving() {
        for (before, saturday, after, offsetBefore, offsetAfter) in [
            // Maundy Thursday, then Easter Saturday; Good Friday and Easter Monday are off.
            (day(2024, 3, 28), day(2024, 3, 30), day(2024, 4, 2), 3600, 7200),
            (day(2024, 10, 25), day(2024, 10, 26), day(2024, 10, 28), 7200, 3600),
        ] {
            let slots = finder.candidates(on: [before, saturday, after])
            let perDay = Dictionary(grouping: slots, by: \.day)
            #expect(Set(perDay.keys) == [before, after], "no Saturday slots")
            // 08:30 to 15:30 every 30 minutes: 15 a day.
            for (day, slots) in perDay {
                #expect(slots.count == 15, "\(day)")
                #expect(slots.map { clock.minute($0.start) } == Array(stride(from: 510, through: 930, by: 30)))
                #expect(slots.allSatisfy { clock.day($0.start) == day && $0.end.timeIntervalSince($0.start) == 3600 })
            }
            let tz = TimeZone(identifier: "Europe/Stockholm")!
            #expect(perDay[before]?.allSatisfy { tz.secondsFromGMT(for: $0.start) == offsetBefore } == true)
            #expect(perDay[after]?.allSatisfy { tz.secondsFromGMT(for: $0.start) == offsetAfter } == true)
        }
        #expect(finder.candidates(on: [day(2024, 3, 29)]).isEmpty, "Good Friday")
        #expect(finder.candidates(on: [day(2024, 6, 21)]).isEmpty, "Midsummer Eve")
        #expect(finder.candidates(on: [day(2024, 12, 24)]).isEmpty, "Christmas Eve")
    }

    @Test("A busy period and a meeting block the slot and the buffer around them")
    func buffers() {
        let monday = day(2019, 2, 4)
        let party = PartySchedule(
            person: "staff:s", isStaff: true,
            meetings: [clock.instant(monday, minute: 13 * 60)..<clock.instant(monday, minute: 14 * 60)],
            busy: [clock.instant(monday, minute: 8 * 60)..<clock.instant(monday, minute: 10 * 60)])
        let free = finder.candidates(on: [monday]).filter { finder.isFree($0, for: party) }.map {
            clock.minute($0.start)
        }
        // Busy until 10:00 + 15 min buffer → 10:30 first; a meeting 13:00-14:00 blocks starts after 11:45 and
        // before 14:15.
        #expect(free == [10 * 60 + 30, 11 * 60, 11 * 60 + 30, 14 * 60 + 30, 15 * 60, 15 * 60 + 30])
    }

    @Test("The daily limit applies to staff, not to participants")
    func dailyLimit() {
        let monday = day(2019, 2, 4)
        let slot = finder.candidates(on: [monday])[0]
        #expect(!finder.isFree(slot, for: PartySchedule(person: "staff:s", isStaff: true, meetingsPerDay: [monday: 4])))
        #expect(finder.isFree(slot, for: PartySchedule(person: "staff:s", isStaff: true, meetingsPerDay: [monday: 3])))
        #expect(
            finder.isFree(
                slot, for: PartySchedule(person: "participant:p", isStaff: false, meetingsPerDay: [monday: 9])))
    }

    @Test("Spread: the same key gives the same slot, keys spread over the window; earliest takes the first")
    func spread() {
        let days = WorkingCalendar().workingDays(from: day(2019, 2, 4), count: 10)
        let free = [PartySchedule(person: "staff:s", isStaff: true)]
        let picks = (1...200).map {
            finder.find(on: days, parties: free, order: .spread(key: "ref-\($0)/trepartsmote"))!
        }
        #expect(
            picks
                == (1...200).map {
                    finder.find(on: days, parties: free, order: .spread(key: "ref-\($0)/trepartsmote"))!
                })
        let perDay = Dictionary(grouping: picks, by: \.day).mapValues(\.count)
        #expect(perDay.count == 10 && perDay.values.allSatisfy { $0 >= 8 }, "200 picks over 10 days: \(perDay)")
        #expect(finder.find(on: days, parties: free, order: .earliest) == finder.candidates(on: days).first)
        // Everything taken: nil.
        let full = PartySchedule(
            person: "staff:s", isStaff: true, meetingsPerDay: Dictionary(uniqueKeysWithValues: days.map { ($0, 4) }))
        #expect(finder.find(on: days, parties: [full], order: .spread(key: "x")) == nil)
    }
}
