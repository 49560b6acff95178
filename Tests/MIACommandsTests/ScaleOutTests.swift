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

    /// Participants simulated: 9,400 give 10,000 anvisningar (the issue's run); `MIA_SCALE_OUT_PARTICIPANTS`
    /// sets another number for a quicker or a larger run (`make scale-out SCALE_OUT_PARTICIPANTS=...`).
    static var participants: Int {
        ProcessInfo.processInfo.environment["MIA_SCALE_OUT_PARTICIPANTS"].flatMap(Int.init) ?? 9400
    }

    /// Why the test does not run here, if it does not.
    static var skipReason: String? { TestStore.postgresSkipReason }

    @Test(
        "Anvisningar, follow-ups, outcomes; 3 bookers, 3 capacity, 2 stats, 2 notifiers; SIGKILLs and new replicas mid-run",
        .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")))
    func scaleOut() async throws {
        let started = ContinuousClock.now
        var phases: [(String, Duration)] = []
        var phaseStart = started
        func phase(_ name: String) {
            phases.append((name, ContinuousClock.now - phaseStart))
            phaseStart = ContinuousClock.now
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = String(repeating: "5a", count: 32)

        // The input: a simulated programme, with one follow-up per anvisning and outcomes.
        let simulation = directory.appendingPathComponent("simulation")
        let simulate = try await runToCompletion(
            "mia",
            [
                "simulate", "--participants", String(Self.participants), "--seed", "12", "--out",
                simulation.path,
            ],
            timeout: .seconds(300))
        #expect(simulate.status == 0, "\(simulate.stderr)")
        try Self.keepFirstFollowupPerReferral(simulation.appendingPathComponent("followup.ndjson"))
        phase("simulate")
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
            "mia",
            // 24 partitions for the other topics: a full publication of the statistics (about 270,000 cells) is about
            // 30 MB compressed, all of the development broker's cap of 5 MiB per partition over 6 partitions.
            ["devbroker", "--partitions", "6", "--other-partitions", "24", "--bootstrap-file", bootstrapFile.path])
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
            // Published once the facts are quiet, and at most every 5 minutes while they change: each publication
            // republishes every changed cell, and the development broker keeps only about 5 MiB per partition, so
            // a slow run with a publication a minute pushed the first cells out of mia.statistics.v1.
            if worker == "stats" { arguments += ["--publish-interval", "1", "--max-publish-delay", "300"] }
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
        phase("start and publish")

        // Mid-run: kill one replica of three workers without warning, and add replicas.
        let workers = WorkerCatalogue.all
        try await waitUntil("the booker to be a third through", timeout: .seconds(900)) {
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

        try await Self.waitForQuiet(workers: workers, kafka: kafka, timeout: .seconds(1800))
        phase("work until quiet")
        // The statistics replicas publish once the facts are quiet: wait until the revision published is the
        // facts' revision and the outbox has relayed it.
        try await Self.waitForPublication(database: database("stats"))
        phase("statistics published")
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
        // Decoded where a check needs the payload; the statistics only as the latest record of each key.
        let decodedTopics: Set<String> = [
            TopicRegistry.asf, TopicRegistry.meeting, TopicRegistry.placement, TopicRegistry.notification,
        ]
        let events = records.filter { decodedTopics.contains($0.topic) }.compactMap { try? decoder.decode($0.value) }
        let referrals = records.filter { $0.topic == TopicRegistry.referral }.count
        phase("read \(records.count) records")
        // Nothing was dead-lettered: the input is valid, and conflicts between replicas are retried.
        for worker in workers {
            #expect(records.filter { $0.topic == worker.deadLetterTopic }.isEmpty, "dead letters of \(worker.name)")
        }
        // No overlapping meetings for any person, from the final state of every meeting on the topic.
        let meetings = Self.finalMeetings(events)
        #expect(meetings.count > referrals / 2, "meetings were booked")
        for (person, intervals) in Self.intervalsByPerson(meetings) {
            for (earlier, later) in zip(intervals, intervals.dropFirst()) where later.start < earlier.end {
                Issue.record("overlapping meetings of \(person): \(earlier) and \(later)")
            }
        }
        // Occupancy never above the places, replaying mia.placement.v1 in order.
        let (placements, overbooked) = Self.replayPlacements(events)
        #expect(placements > 0)
        #expect(overbooked.isEmpty, "occupancy above the declared places: \(overbooked)")
        // Each notification once: one notification per fact and handläggare, under one event id. A record the
        // outbox relay sent again after its holder was killed (sent, not yet marked) is the same event, byte for
        // byte, and is dropped by the consumer's event-id check.
        var notifications: [String: (eventId: String, bytes: [UInt8])] = [:]
        var resent = 0
        for record in records where record.topic == TopicRegistry.notification {
            guard let event = try? decoder.decode(record.value),
                case .notificationRequested(let notification) = event.payload
            else { continue }
            if let first = notifications[notification.notificationId] {
                #expect(
                    first.eventId == event.id && first.bytes == record.value,
                    "notification \(notification.notificationId) published twice with different content")
                resent += 1
            } else {
                notifications[notification.notificationId] = (event.id, record.value)
            }
        }
        #expect(notifications.count > referrals)
        #expect(
            Set(notifications.values.map(\.eventId)).count == notifications.count, "one event id per notification")
        // The statistics equal those of one statistics handler on a SQLite store, fed the same input.
        let reference = try await Self.singleReplicaStatistics(
            input: records.filter {
                [TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome].contains($0.topic)
            })
        let published = StatisticsCellSet(
            records: Self.latestPerKey(records.filter { $0.topic == TopicRegistry.statistics }))
        let difference = Self.differences(published.cells, reference)
        #expect(
            difference.isEmpty,
            "\(difference.count) statistics differ from the single-replica SQLite run: \(difference.prefix(5))")
        phase("checks")

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
            scale-out figures: \(records.count) records on the topics (\(referrals) anvisningar), \(replicas.count) \
            worker processes (\(kills) killed with SIGKILL, 3 added), \(assignments) partition assignments, \
            \(meetings.count) meetings, \(placements) placement events, \(notifications.count) notifications \
            (\(resent) records sent again by a relay after a kill), \(published.cells.count) statistics cells \
            (\(reference.count) in the reference table); \(runTime) until published; phases: \
            \(phases.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
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

    /// The statistics of one statistics handler on a SQLite store, in this process, fed the same input records:
    /// every cell of its table.
    static func singleReplicaStatistics(input: [KafkaConsumerMessage]) async throws -> [StatisticsCell] {
        let handler = StatsHandler()
        let store = try TestStore.open(TestStore.sqlite.freshDatabase())
        try await store.migrate(RuntimeTables.migrations + handler.migrations)
        let decoder = EventDecoder()
        for start in stride(from: 0, to: input.count, by: 1000) {
            var inputs: [WorkerInput] = []
            for record in input[start..<min(start + 1000, input.count)] {
                inputs.append(
                    WorkerInput(
                        event: try decoder.decode(record.value), topic: record.topic, partition: record.partition,
                        offset: record.offset, timestampMilliseconds: nil))
            }
            try await store.write { [inputs] transaction in
                for input in inputs { _ = try transaction.savepoint { try handler.handle(input, in: transaction) } }
            }
        }
        let facts = try await store.read { try StatsFacts($0).all() }
        let table = StatisticsTable(facts: facts, threshold: StatisticsPublisherConfiguration().threshold)
        await store.close()
        return (0..<table.count).map(table.cell(at:))
    }

    /// The last record of every key (one key is always on one partition, in offset order).
    static func latestPerKey(_ records: [KafkaConsumerMessage]) -> [[UInt8]] {
        var latest: [[UInt8]: [UInt8]] = [:]
        for record in records { latest[record.key ?? []] = record.value }
        return Array(latest.values)
    }

    /// Waits until the statistics store's published revision is its facts' revision and its outbox is relayed.
    static func waitForPublication(database: String) async throws {
        let store = try TestStore.open(database)
        defer { Task { await store.close() } }
        try await waitUntil("the statistics to be published", timeout: .seconds(600)) {
            try await store.read { transaction in
                let facts = StatsFacts(transaction)
                let unsent = try transaction.queryOne("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0", [])
                return try facts.revision() == facts.publishedRevision() && unsent?["n"].integer == 0
            }
        }
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
