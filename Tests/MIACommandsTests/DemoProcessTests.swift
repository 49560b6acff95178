import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

@testable import MIACommands

@Suite("mia demo: the whole system end to end, checked against the topics")
struct DemoProcessTests {
    /// The repository root, for the booker configuration the demo ships with.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("A reduced demo (200 participants): its summary matches the topics, every input had its effect")
    func reducedDemo() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-demo-\(UUID().uuidString)")
        let output = directory.appendingPathComponent("output")
        // Below the ephemeral port range, so no outgoing connection holds one of the workers' ports.
        let port = Int.random(in: 10_000...19_000)
        let demo = try ChildProcess(
            "mia",
            [
                "demo", "--participants", "200", "--keep-running", "--data",
                directory.appendingPathComponent("data").path,
                "--output", output.path, "--http-port", String(port), "--booker-config",
                Self.repository.appendingPathComponent("config/booker.json").path,
            ])
        try await demo.waitUntil("the demo to finish its summary", timeout: .seconds(420)) {
            $0.stdout.contains("everything keeps running")
        }
        let bootstrap = try String(contentsOf: output.appendingPathComponent("bootstrap"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let kafka = try KafkaConfiguration.fromEnvironment(bootstrap: bootstrap, clientId: "demo-test")
        let summary = try JSONDecoder().decode(
            DemoSummary.self, from: Data(contentsOf: output.appendingPathComponent("summary.json")))
        let workers = DemoWorker.all(bookerConfiguration: "")
        let records = try await TopicReader(kafka: kafka).readAll(
            [
                TopicRegistry.referral, TopicRegistry.outcome, TopicRegistry.meeting, TopicRegistry.placement,
                TopicRegistry.notification, TopicRegistry.statistics,
            ] + workers.map(\.deadLetterTopic))
        let topics = DemoTopics(records)

        // The summary's figures are the topics' own.
        #expect(summary.notificationsByKind == topics.notificationsByKind)
        #expect(summary.meetings == topics.meetingsByType)
        #expect(summary.placements == topics.placementsByType)
        #expect(summary.meetings["booked", default: 0] > 0, "the booker booked meetings")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("report.html").path))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("statistics.csv").path))
        let invitations = try FileManager.default.contentsOfDirectory(
            atPath: output.appendingPathComponent("invitations").path)
        #expect(!invitations.isEmpty, "meeting invitations were written as .ics")

        // Every valid anvisning got a trepartsmöte booked or declared unschedulable, unless its outcome came
        // first (then the booker remembers it and books nothing).
        #expect(topics.referrals.count > 150)
        for referral in topics.referrals.values {
            let answered = topics.trepartsmoteAnswered.contains(referral.referralId)
            let closedFirst =
                topics.outcomes[referral.referralId] != nil && !topics.anyMeeting.contains(referral.referralId)
            #expect(answered || closedFirst, "referral \(referral.referralId) has no trepartsmöte event")
        }
        // Every anvisning to ASF work training got a placement event, unless its outcome came first.
        let asfReferrals = topics.referrals.values.filter { $0.insatsType == .asfWorkTraining }
        #expect(!asfReferrals.isEmpty)
        for referral in asfReferrals {
            let placed = topics.placed.contains(referral.referralId)
            #expect(placed || topics.outcomes[referral.referralId] != nil, "ASF referral \(referral.referralId)")
        }
        // Every outcome of a valid anvisning is counted: the programme's "ended" figure (one per referral, as in
        // SUS) equals the referrals with an outcome.
        let ended = summary.headline.first { $0.gender == "total" }?.ended
        #expect(ended == Set(topics.outcomes.keys).intersection(topics.referrals.keys).count)
        #expect(summary.headline.first { $0.gender == "total" }?.started == topics.referrals.count)

        // Every faulty record put on a topic is a dead letter, with its bytes, at every worker that reads it.
        let injected = try String(
            contentsOf: output.appendingPathComponent("injected-faults.ndjson"), encoding: .utf8
        ).split(separator: "\n").map { try JSONDecoder().decode(DemoFaultInjection.Record.self, from: Data($0.utf8)) }
        #expect(!injected.isEmpty)
        for record in injected {
            for worker in workers where worker.inputs.contains(record.topic) {
                #expect(
                    topics.deadLetters[worker.name, default: []].contains(Array(record.value)),
                    "\(record.fault) is not a dead letter of mia-\(worker.name)")
            }
        }

        #expect(try await demo.stop(timeout: .seconds(90)) == 0, "\(demo.stderr.suffix(2000))")
        #expect(demo.stdout.contains("devbroker stopped cleanly"))
        for name in ["mia-capacity-1", "mia-capacity-2", "mia-booker", "mia-stats", "mia-notifier"] {
            #expect(demo.stdout.contains("\(name) stopped cleanly"), "\(demo.stdout.suffix(1500))")
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The topics' records, indexed for the demo test's checks.
struct DemoTopics {
    var referrals: [String: ReferralCreated] = [:]
    var outcomes: [String: OutcomeRecorded] = [:]
    var trepartsmoteAnswered: Set<String> = []
    var anyMeeting: Set<String> = []
    var placed: Set<String> = []
    var notificationsByKind: [String: Int] = [:]
    var meetingsByType: [String: Int] = [:]
    var placementsByType: [String: Int] = [:]
    var deadLetters: [String: Set<[UInt8]>] = [:]

    init(_ records: [KafkaConsumerMessage]) {
        let decoder = EventDecoder()
        for record in records {
            if record.topic.hasPrefix("mia.dlq.") {
                deadLetters[String(record.topic.dropFirst("mia.dlq.".count)), default: []].insert(record.value)
                continue
            }
            guard let event = try? decoder.decode(record.value) else { continue }
            let type = String(event.type.name.split(separator: ".").last ?? "")
            switch event.payload {
            case .referralCreated(let referral): referrals[referral.referralId] = referral
            case .outcomeRecorded(let outcome): outcomes[outcome.referralId] = outcome
            case .meetingBooked(let meeting), .meetingUnschedulable(let meeting), .meetingRescheduled(let meeting),
                .meetingCancelled(let meeting):
                meetingsByType[type, default: 0] += 1
                anyMeeting.insert(meeting.referralId)
                if meeting.kind == .trepartsmote, type == "booked" || type == "unschedulable" {
                    trepartsmoteAnswered.insert(meeting.referralId)
                }
            case .placementReserved(let placement), .placementWaitlisted(let placement),
                .placementPlacedFromWaitlist(let placement), .placementReleased(let placement),
                .placementWithdrawn(let placement):
                placementsByType[type, default: 0] += 1
                placed.insert(placement.referralId)
            case .notificationRequested(let notification):
                notificationsByKind[notification.kind.rawValue, default: 0] += 1
            default:
                break
            }
        }
    }
}
