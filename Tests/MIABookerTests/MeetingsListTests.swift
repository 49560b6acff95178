import Foundation
import MIABooker
import MIAContracts
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("mia meetings list: the booked meetings from the booker's store")
struct MeetingsListTests {
    typealias E = BookerEvents

    @Test(
        "Lists the booked meetings of a period in local time, optionally of one staff member",
        arguments: TestStore.available)
    func list(store kind: TestStore) async throws {
        let store = try await BookerStore(store: kind)
        _ = try await store.lines([
            E.referral(1, contact: "ins-a"), E.referral(2, contact: "ins-b"), E.referral(3, contact: "ins-a"),
        ])
        let booked = try await store.booked()
        #expect(booked.count == 3)
        await store.store.close()
        let path = store.databasePath
        let all = try await runToCompletion(
            "mia", ["meetings", "list", "--from", "2019-02-01", "--to", "2019-02-28", "--database", path])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("DAY") == true)
        #expect(lines.count == 4)
        for meeting in booked {
            let local = StockholmClock().text(meeting.start)
            let row = try #require(lines.first { $0.contains(meeting.meetingId) })
            #expect(row.hasPrefix(local.prefix(10) + "  " + local.suffix(5)), "\(row)")
            #expect(!row.contains(E.participant(1)) && !row.contains("p-"), "no participant reference")
        }
        let one = try await runToCompletion(
            "mia",
            ["meetings", "list", "--from", "2019-02-01", "--to", "2019-02-28", "--staff", "ins-a", "--database", path])
        #expect(one.stdout.split(separator: "\n").count == 3)
        #expect(!one.stdout.contains("ins-b"))
        let none = try await runToCompletion(
            "mia", ["meetings", "list", "--from", "2019-03-01", "--to", "2019-03-31", "--database", path])
        #expect(none.stdout.split(separator: "\n").count == 1, "only the header")
        let bad = try await runToCompletion(
            "mia", ["meetings", "list", "--from", "2019-03-31", "--to", "2019-03-01", "--database", path])
        #expect(bad.status != 0)
    }
}
