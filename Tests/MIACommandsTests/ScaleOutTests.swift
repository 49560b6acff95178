import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAStats
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@testable import MIACommands

/// Issue 12's proof: many replicas of every worker on one PostgreSQL database, replicas killed and added while
/// they work, and still one truth.
@Suite("Scale-out on PostgreSQL: replicas killed and added mid-run, every invariant holds", .serialized)
struct ScaleOutTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// One worker process of the run.
    final class Replica: @unchecked Sendable {
        // @unchecked: only the test's task touches it.
        let name: String
        let process: ChildProcess
        var killed = false
        init(name: String, process: ChildProcess) {
            self.name = name
            self.process = process
        }
    }

    /// Participants simulated: `MIA_SCALE_OUT_PARTICIPANTS` (1,900 gives about 2,000 anvisningar, 9,400 the
    /// 10,000 of the full run). Unset, the test is skipped: it runs on its own with `make scale-out`.
    static var participants: Int? {
        ProcessInfo.processInfo.environment["MIA_SCALE_OUT_PARTICIPANTS"].flatMap(Int.init)
    }

    /// Why the test does not run here, if it does not.
    static var skipReason: String? {
        if let reason = TestStore.postgresSkipReason { return reason }
        return participants == nil
            ? "scale-out skipped: set MIA_SCALE_OUT_PARTICIPANTS (make scale-out); on a shared 2-core machine its 13 worker processes starve the rest of make test"
            : nil
    }

    @Test(
        "Anvisningar, follow-ups, outcomes; 3 bookers, 3 capacity, 2 stats, 2 notifiers; SIGKILLs and new replicas mid-run",
        .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")))
    func scaleOut() async throws {
        let started = ContinuousClock.now
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = String(repeating: "5a", count: 32)

        // The input: a simulated programme, with one follow-up per anvisning and outcomes.
        let simulation = directory.appendingPathComponent("simulation")
        let simulate = try await runToCompletion(
            "mia",
            [
                "simulate", "--participants", String(Self.participants ?? 1900), "--seed", "12", "--out",
                simulation.path,
            ],
            timeout: .seconds(300))
        #expect(simulate.status == 0, "\(simulate.stderr)")
        try Self.keepFirstFollowupPerReferral(simulation.appendingPathComponent("followup.ndjson"))
        // Fewer follow-up meetings per insats keep the run short; the rules are the same.
        let bookerConfig = directory.appendingPathComponent("booker.json")
        var config =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.repository.appendingPathComponent("config/booker.json")))
            as? [String: Any] ?? [:]
        config["followupIntervalWeeks"] = 26
        try JSONSerialization.data(withJSONObject: config).write(to: bookerConfig)

        let bootstrapFile = directory.appendingPathComponent("bootstrap")
        let broker = try ChildProcess(
            "mia", ["devbroker", "--partitions", "6", "--bootstrap-file", bootstrapFile.path])
        try await broker.waitUntil("the broker", timeout: .seconds(30)) { _ in
            ((try? String(contentsOf: bootstrapFile, encoding: .utf8)) ?? "").contains(":")
        }
        let bootstrap = try String(contentsOf: bootstrapFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let kafka = KafkaConfiguration(bootstrapServers: bootstrap)
        let schema = "scale_\(UUID().uuidString.prefix(8).lowercased())"
        let base = try #require(TestStore.postgresURL)
        func database(_ worker: String) -> String {
            base + (base.contains("?") ? "&" : "?") + "schema=\(schema)_\(worker)"
        }

        var replicas: [Replica] = []
        func start(_ worker: String) throws {
            let count = replicas.filter { $0.name.hasPrefix(worker) }.count + 1
            var arguments = [
                "--bootstrap", bootstrap, "--database", database(worker), "--session-timeout-ms", "6000",
                "--log-format", "json", "--log-level", "info",
            ]
            if worker == "booker" { arguments += ["--config", bookerConfig.path, "--batch-size", "100"] }
            if worker == "stats" { arguments += ["--publish-interval", "1"] }
            replicas.append(Replica(name: "\(worker)-\(count)", process: try ChildProcess("mia-\(worker)", arguments)))
        }
        for (worker, count) in [("booker", 3), ("capacity", 3), ("stats", 2), ("notifier", 2)] {
            for _ in 0..<count { try start(worker) }
        }
        // Let the groups form before the input arrives, as in a running system.
        try await Task.sleep(for: .seconds(10))

        let publishEnvironment = ["MIA_PSEUDONYM_KEY": key, "MIA_KAFKA_BOOTSTRAP": bootstrap]
        func publish(_ kind: String) async throws {
            let result = try await runToCompletion(
                "mia", ["publish", kind, simulation.appendingPathComponent("\(kind).ndjson").path],
                environment: publishEnvironment, timeout: .seconds(600))
            #expect(result.status == 0, "\(kind): \(result.stderr.suffix(1000))")
        }
        for kind in ["asf-capacity", "calendar-busy", "referral", "followup"] { try await publish(kind) }

        // Mid-run: kill one replica of three workers without warning, and add replicas.
        let workers = WorkerCatalogue.all
        try await waitUntil("the booker to be a third through", timeout: .seconds(300)) {
            let progress = try GroupProgress.read(group: "booker", topics: workers[1].inputs, kafka: kafka)
            return progress.committed * 3 >= progress.available
        }
        var kills = 0
        for name in ["booker-1", "capacity-1", "notifier-1"] {
            let replica = try #require(replicas.first { $0.name == name })
            kill(replica.process.process.processIdentifier, SIGKILL)
            replica.killed = true
            kills += 1
        }
        for worker in ["booker", "capacity", "stats"] { try start(worker) }
        try await publish("outcome")

        try await Self.waitForQuiet(workers: workers, kafka: kafka, timeout: .seconds(900))
        let runTime = ContinuousClock.now - started

        let records = try await TopicReader(kafka: kafka).readAll(
            [
                TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome, TopicRegistry.asf,
                TopicRegistry.meeting, TopicRegistry.placement, TopicRegistry.notification, TopicRegistry.statistics,
            ] + workers.map(\.deadLetterTopic))
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        for topic in Set(records.map(\.topic)) {
            for partition in 0..<Int32(6) {
                #expect(try admin.watermarks(topic: topic, partition: partition).low == 0, "\(topic) dropped records")
            }
        }
        let decoder = EventDecoder()
        let events = records.map { record in (record, try? decoder.decode(record.value)) }
        let referrals = events.filter { $0.0.topic == TopicRegistry.referral }.count
        #expect(referrals >= (Self.participants ?? 0), "about one anvisning per participant")

        // Nothing was dead-lettered: the input is valid, and conflicts between replicas are retried.
        for worker in workers {
            #expect(records.filter { $0.topic == worker.deadLetterTopic }.isEmpty, "dead letters of \(worker.name)")
        }
        // No overlapping meetings for any person, from the final state of every meeting on the topic.
        let meetings = Self.finalMeetings(events.compactMap { $0.1 })
        #expect(meetings.count > referrals / 2, "meetings were booked")
        for (person, intervals) in Self.intervalsByPerson(meetings) {
            for (earlier, later) in zip(intervals, intervals.dropFirst()) where later.start < earlier.end {
                Issue.record("overlapping meetings of \(person): \(earlier) and \(later)")
            }
        }
        // Occupancy never above the places, replaying mia.placement.v1 in order.
        let (placements, overbooked) = Self.replayPlacements(events.compactMap { $0.1 })
        #expect(placements > 0)
        #expect(overbooked.isEmpty, "occupancy above the declared places: \(overbooked)")
        // Each notification once.
        let notificationIds = events.compactMap { pair -> String? in
            guard case .notificationRequested(let notification)? = pair.1?.payload else { return nil }
            return notification.notificationId
        }
        #expect(notificationIds.count > referrals)
        #expect(Set(notificationIds).count == notificationIds.count, "each notification published once")
        // The statistics equal those of one mia-stats replica on SQLite, fed the same input. The replicas publish
        // a recomputation once the facts are quiet, so the topic gets there shortly after the last input.
        let reference = try await Self.singleReplicaStatistics(
            input: records.filter {
                [TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome].contains($0.topic)
            })
        var published = StatisticsCellSet(
            records: records.filter { $0.topic == TopicRegistry.statistics }.map(\.value))
        var difference = Self.differences(published.cells, reference.cells)
        let settle = ContinuousClock.now + .seconds(180)
        while !difference.isEmpty && ContinuousClock.now < settle {
            try await Task.sleep(for: .seconds(10))
            published = StatisticsCellSet(
                records: try await TopicReader(kafka: kafka).readAll([TopicRegistry.statistics]).map(\.value))
            difference = Self.differences(published.cells, reference.cells)
        }
        #expect(
            difference.isEmpty,
            "\(difference.count) statistics differ from the single-replica SQLite run: \(difference.prefix(5))")

        // Rebalances: every assignment a replica logged.
        var assignments = 0
        for replica in replicas {
            assignments += replica.process.stderr.components(separatedBy: "partitions assigned").count - 1
            if !replica.killed {
                #expect(try await replica.process.stop(timeout: .seconds(60)) == 0, "\(replica.name)")
            }
        }
        _ = try? await broker.stop()
        print(
            """
            scale-out figures: \(events.count) records on the topics (\(referrals) anvisningar), \(replicas.count) \
            worker processes (\(kills) killed with SIGKILL, 3 added), \(assignments) partition assignments, \
            \(meetings.count) meetings, \(placements) placement events, \(notificationIds.count) notifications, \
            \(published.cells.count) statistics cells; \(runTime)
            """)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Keeps the first follow-up of every referral, so that the run has follow-ups without their full volume.
    static func keepFirstFollowupPerReferral(_ file: URL) throws {
        var seen: Set<String> = []
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").filter { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let referral = object["referralId"] as? String
            else { return false }
            return seen.insert(referral).inserted
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    }

    /// Waits until no worker's group has lag and the output topics stopped growing for five checks in a row.
    static func waitForQuiet(workers: [WorkerCatalogue], kafka: KafkaConfiguration, timeout: Duration) async throws {
        let outputs = Set(workers.flatMap(\.outputs)).sorted()
        var quiet = 0
        var previous: WorkersSnapshot?
        let deadline = ContinuousClock.now + timeout
        while quiet < 5 {
            guard ContinuousClock.now < deadline else { throw TestKitError("the workers did not catch up in time") }
            let snapshot = try WorkersSnapshot.read(
                groups: workers.map { ($0.name, $0.inputs) }, topics: outputs, kafka: kafka)
            quiet = snapshot.isQuiet(after: previous) ? quiet + 1 : 0
            previous = snapshot
            try await Task.sleep(for: .seconds(2))
        }
    }

    /// The final state of every meeting that is booked: replayed in topic order (a meeting's events share its
    /// participant's partition, so their order is kept).
    static func finalMeetings(_ events: [CloudEvent]) -> [String: MeetingEvent] {
        var meetings: [String: MeetingEvent] = [:]
        for event in events {
            switch event.payload {
            case .meetingBooked(let meeting), .meetingRescheduled(let meeting): meetings[meeting.meetingId] = meeting
            case .meetingCancelled(let meeting): meetings[meeting.meetingId] = nil
            case .meetingUnschedulable(let meeting) where meeting.sequence == 0: meetings[meeting.meetingId] = nil
            default: break
            }
        }
        return meetings
    }

    /// Every person's meetings, by start.
    static func intervalsByPerson(_ meetings: [String: MeetingEvent]) -> [String: [(start: Date, end: Date)]] {
        var byPerson: [String: [(start: Date, end: Date)]] = [:]
        for meeting in meetings.values {
            guard let start = meeting.start, let end = meeting.end else { continue }
            for person in [meeting.handlaggareId, meeting.participantRef] + [meeting.insatsStaffId].compactMap({ $0 }) {
                byPerson[person, default: []].append((start, end))
            }
        }
        return byPerson.mapValues { $0.sorted { $0.start < $1.start } }
    }

    /// Replays the placement events in order; returns their number and every ASF activity whose occupancy went
    /// above the most places it ever declared.
    static func replayPlacements(_ events: [CloudEvent]) -> (Int, [String]) {
        var places: [String: Int] = [:]
        for case .asfCapacityDeclared(let declaration) in events.map(\.payload) {
            places[declaration.partitionKey] = max(places[declaration.partitionKey] ?? 0, declaration.places)
        }
        var occupants: [String: Set<String>] = [:]
        var overbooked: [String] = []
        var count = 0
        for event in events {
            switch event.payload {
            case .placementReserved(let placement), .placementPlacedFromWaitlist(let placement):
                count += 1
                let key = TopicKey.asfActivity(asfId: placement.asfId, activity: placement.activity)
                occupants[key, default: []].insert(placement.referralId)
                if occupants[key, default: []].count > places[key, default: 0] { overbooked.append(key) }
            case .placementReleased(let placement), .placementWithdrawn(let placement):
                count += 1
                let key = TopicKey.asfActivity(asfId: placement.asfId, activity: placement.activity)
                occupants[key]?.remove(placement.referralId)
            case .placementWaitlisted:
                count += 1
            default:
                break
            }
        }
        return (count, overbooked)
    }

    /// The statistics of one mia-stats on SQLite, in this process, fed the same input records.
    static func singleReplicaStatistics(input: [KafkaConsumerMessage]) async throws -> StatisticsCellSet {
        let harness = try RuntimeHarness(workers: ["stats"])
        try await harness.produce(
            input.map { KafkaProducerMessage(topic: $0.topic, key: $0.key, value: $0.value, headers: $0.headers) })
        var configuration = StatisticsPublisherConfiguration()
        configuration.interval = .milliseconds(500)
        let publisher = configuration
        let logger = harness.logger
        let worker = try harness.start(StatsHandler()) { store in
            [StatisticsPublisher(store: store, configuration: publisher, logger: logger)]
        }
        var last = -1
        var quiet = 0
        while quiet < 4 {
            let processed = try worker.metric("mia_messages_processed_total")
            let cells = try harness.count(TopicRegistry.statistics)
            quiet = Int(processed) >= input.count && cells == last ? quiet + 1 : 0
            last = cells
            try await Task.sleep(for: .seconds(2))
        }
        try await worker.stop()
        return StatisticsCellSet(records: try await harness.read(TopicRegistry.statistics).map(\.value))
    }

    /// Keys whose latest published figures differ; a key missing on one side counts as an unsuppressed zero.
    static func differences(_ left: [StatisticsCell], _ right: [StatisticsCell]) -> [String] {
        func figures(_ cells: [StatisticsCell]) -> [String: String] {
            Dictionary(
                cells.map { ($0.partitionKey, "\($0.value.map(String.init) ?? "-")/\($0.suppressed)") },
                uniquingKeysWith: { $1 })
        }
        let (a, b) = (figures(left), figures(right))
        return Set(a.keys).union(b.keys).sorted().compactMap { key in
            let (x, y) = (a[key] ?? "0/false", b[key] ?? "0/false")
            return x == y ? nil : "\(key): \(x) vs \(y)"
        }
    }
}
