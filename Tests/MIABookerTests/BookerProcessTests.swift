import Foundation
import MIABooker
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// Two `mia-booker` processes on one shared SQLite store and a development broker: a burst of 2,000 anvisningar
/// to one insats contact person, redelivered input, outcomes before their anvisningar and a replica killed
/// mid-burst; then every booking on `mia.meeting.v1` is checked against every rule.
@Suite("mia-booker processes: a burst to one contact person, two replicas, never double-booked", .serialized)
struct BookerProcessTests {
    typealias E = BookerEvents

    static let referrals = 2000
    static let contact = "ins-burst"
    static let decided = day(2019, 2, 4)

    @Test("2,000 anvisningar to one contact person, two replicas, one killed: each decided once, no rule broken")
    func burst() async throws {
        let broker = try RuntimeHarness()
        let database = FileManager.default.temporaryDirectory
            .appendingPathComponent("mia-booker-\(UUID().uuidString)/booker.sqlite").path
        let ports = (0..<2).map { _ in freeLoopbackPort() }
        var workers = [
            try broker.workerProcess(
                "mia-booker", database: database, arguments: ["--http-port", String(ports[0])])
        ]
        defer { for worker in workers where worker.process.isRunning { worker.process.terminate() } }
        let store = try SQLiteStore(path: database)
        try await waitUntil("the first replica to create its tables", workers) {
            (try? await store.read { try $0.query("SELECT COUNT(*) AS n FROM booker_meetings", []) }) != nil
        }
        // The second replica joins once the tables exist; the group rebalances within about 5 s.
        workers.append(
            try broker.workerProcess(
                "mia-booker", database: database, arguments: ["--http-port", String(ports[1])]))
        try await Task.sleep(for: .seconds(7))

        // Outcomes before their anvisningar (referrals 2001-2020), handled before those anvisningar arrive.
        let early = Array(Self.referrals + 1...Self.referrals + 20)
        try await broker.produce(early.map { E.outcome($0, on: day(2019, 2, 28)) })
        var inputs = early.count
        try await waitUntil("the early outcomes", workers) { await Self.handled(store) >= inputs }

        let anvisningar = (1...Self.referrals).map { E.referral($0, contact: Self.contact) }
        // Redelivery: 200 with the same event ids (the inbox drops them), 100 under new ids (the handler does).
        let again =
            Array(anvisningar[0..<200]) + (1...100).map { E.referral($0 * 7, contact: Self.contact, id: "again-\($0)") }
        try await broker.produce(anvisningar + early.map { E.referral($0, contact: Self.contact) } + again)
        inputs += anvisningar.count + early.count + 100
        // A crash mid-burst: no graceful shutdown, maybe an unrelayed outbox; a new process takes over.
        // Both replicas take part: each has handled anvisningar (its /metrics say so) before one is killed.
        try await waitUntil("both replicas handling anvisningar", workers) {
            var both = true
            for port in ports {
                guard let text = await Self.metrics(port: port),
                    let processed = try? PrometheusText.value(
                        of: "mia_messages_processed_total", labels: ["topic": TopicRegistry.referral], in: text)
                else { return false }
                both = both && processed > 0
            }
            return both
        }
        try await workers[0].stop(signal: SIGKILL)
        let port = freeLoopbackPort()
        workers[0] = try broker.workerProcess(
            "mia-booker", database: database, arguments: ["--http-port", String(port)])
        // Up before the end is awaited: when the other replica has already done the rest, the SIGTERM below must
        // find a process that has started, not one the loader is still mapping.
        try await waitUntil("the new replica to serve /metrics", workers) { await Self.metrics(port: port) != nil }
        try await waitUntil("every input handled and every output published", workers, timeout: .seconds(150)) {
            let unsent = await store.count("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0")
            return await Self.handled(store) >= inputs && unsent == 0
        }
        for worker in workers { kill(worker.process.processIdentifier, SIGTERM) }
        for worker in workers {
            #expect(
                try await worker.waitForExit(timeout: .seconds(60)) == 0, "graceful exit\n\(worker.stderr.suffix(2000))"
            )
        }
        #expect(try broker.count(TopicRegistry.deadLetter(worker: "booker")) == 0, "nothing dead-lettered")

        var unique: [String: MeetingEvent] = [:]
        var types: [String: EventType] = [:]
        for event in try await broker.events(TopicRegistry.meeting) {
            switch event.payload {
            case .meetingBooked(let meeting), .meetingUnschedulable(let meeting):
                unique[event.id] = meeting
                types[event.id] = event.type
            default: Issue.record("unexpected \(event.type)")
            }
        }
        var perReferral: [String: Int] = [:]
        for meeting in unique.values { perReferral[meeting.referralId, default: 0] += 1 }
        #expect(perReferral.count == Self.referrals, "every anvisning decided; none of the outcome-first ones")
        #expect(perReferral.values.allSatisfy { $0 == 1 }, "each booked or unschedulable exactly once")
        #expect(early.allSatisfy { perReferral["ref-\($0)"] == nil })
        let booked = unique.filter { types[$0.key] == .meetingBooked }.map(\.value)
        #expect(unique.values.filter { $0.reason == "no-free-slot" }.count == Self.referrals - booked.count)
        // Four a day for ten working days: the contact person is the bottleneck and the limit is reached exactly.
        #expect(booked.count == 40)
        try Self.checkRules(booked, window: WorkingCalendar().workingDays(from: day(2019, 2, 5), count: 10))
        // The store agrees with the topic.
        let stored = try await MeetingList.read(from: store, from: day(2019, 1, 1), to: day(2019, 12, 31)).rows
        #expect(Set(stored.map(\.meetingId)) == Set(booked.map(\.meetingId)))
        await store.close()
    }

    /// Every booked meeting on a working day of its window, in office hours, an hour long; no two meetings of a
    /// person closer than the buffer; at most four a day per staff member.
    static func checkRules(_ booked: [MeetingEvent], window: [CalendarDate]) throws {
        let calendar = WorkingCalendar()
        var byPerson: [String: [Range<Date>]] = [:]
        var perStaffDay: [String: Int] = [:]
        for meeting in booked {
            let start = try #require(meeting.start)
            let end = try #require(meeting.end)
            let local = calendar.day(of: start)
            #expect(calendar.isWorkingDay(local) && window.contains(local), "\(meeting.meetingId) on \(local)")
            #expect(calendar.minute(of: start) >= 8 * 60 + 30, "\(meeting.meetingId) starts in office hours")
            #expect(calendar.minute(of: end) <= 16 * 60 + 30 && calendar.day(of: end) == local)
            #expect(end.timeIntervalSince(start) == 3600)
            for person in [
                "staff:" + meeting.handlaggareId, "staff:" + (meeting.insatsStaffId ?? "?"),
                "p:" + meeting.participantRef,
            ] {
                byPerson[person, default: []].append(start..<end)
            }
            for staff in [meeting.handlaggareId, meeting.insatsStaffId ?? "?"] {
                perStaffDay["\(staff) \(local)", default: 0] += 1
            }
        }
        for (person, meetings) in byPerson {
            let sorted = meetings.sorted { $0.lowerBound < $1.lowerBound }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.lowerBound < a.upperBound.addingTimeInterval(15 * 60)
            {
                Issue.record("\(person): \(a) and \(b) overlap or break the buffer")
            }
        }
        #expect(perStaffDay.values.allSatisfy { $0 <= 4 }, "at most four meetings per staff member and day")
    }

    @Test("--help explains the worker, its topics, its rules, the configuration file and every flag")
    func help() async throws {
        let output = try await runToCompletion("mia-booker", ["--help"])
        #expect(output.status == 0)
        for text in [
            "mia.referral.v1", "mia.followup.v1", "mia.outcome.v1", "mia.calendar.v1", "mia.request.v1",
            "mia.meeting.v1", "08:30-16:30", "Europe/Stockholm", "unschedulable", "insatsStaff", "--config",
            "MIA_BOOKER_CONFIG", "--bootstrap", "MIA_KAFKA_BOOTSTRAP", "--database", "mia meetings list",
        ] {
            #expect(output.stdout.contains(text), "\(text)")
        }
        let bad = try await runToCompletion("mia-booker", ["--config", "/nonexistent/booker.json"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("/nonexistent/booker.json"))
    }

    static func handled(_ store: SQLiteStore) async -> Int {
        await store.count("SELECT COUNT(*) AS n FROM mia_inbox")
    }

    static func metrics(port: Int) async -> String? {
        guard
            let output = try? await runToCompletion(
                "curl", ["-sf", "--max-time", "5", "http://127.0.0.1:\(port)/metrics"], timeout: .seconds(10)),
            output.status == 0
        else { return nil }
        return output.stdout
    }
}
