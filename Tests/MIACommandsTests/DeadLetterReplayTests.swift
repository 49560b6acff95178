import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

@Suite("mia dlq: list, show and replay a worker's dead letters after a fix, once each")
struct DeadLetterReplayTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func event(_ id: String, _ payload: EventPayload) -> KafkaProducerMessage {
        let event = CloudEvent(
            id: id, source: "/test", time: Date(timeIntervalSince1970: 1_550_000_000), payload: payload)
        return KafkaProducerMessage(
            topic: event.topic, key: event.subject, value: Array(try! EventEncoder().encode(event)))
    }

    static let referral = event(
        "20000000-0000-4000-8000-000000000001",
        .referralCreated(
            ReferralCreated(
                referralId: "ref-asf-1", participantRef: "p-" + String(repeating: "a", count: 32), delprojekt: .varNa,
                resursrad: "rr-varna", insatsType: .asfWorkTraining, asfId: "asf-late", asfActivity: "kafe",
                handlaggare: .init(agency: .af, id: "h-1", contactChannel: "c-1"), agencyCaseRef: "AF-1",
                consentGiven: true, decisionDate: CalendarDate(year: 2019, month: 2, day: 1)!,
                plannedStart: CalendarDate(year: 2019, month: 2, day: 11)!,
                plannedEnd: CalendarDate(year: 2019, month: 8, day: 30)!, legalGender: .man, ageAtStart: 30,
                employmentStatus: .unemployed, educationLevel: .isced3_4)))

    static let declaration = event(
        "20000000-0000-4000-8000-000000000002",
        .asfCapacityDeclared(
            AsfCapacityDeclared(
                asfId: "asf-late", activity: "kafe", places: 3, fromDate: CalendarDate(year: 2019, month: 1, day: 1)!,
                status: .active)))

    @Test("An anvisning to an undeclared ASF is dead-lettered; after the declaration, one replay places it")
    func replayAfterFix() async throws {
        let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        for spec in TopicRegistry.default.topics { try cluster.createTopic(spec.name, partitions: spec.partitions) }
        let kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        let bootstrap = ["--bootstrap", cluster.bootstrapServers]
        func produce(_ records: [KafkaProducerMessage]) async throws {
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
            for result in await producer.send(records) { _ = try result.get() }
            await producer.close()
        }
        func count(_ topic: String) throws -> Int64 {
            let admin = try KafkaAdmin(configuration: kafka, logger: logger)
            return try (0..<6).reduce(0) { sum, partition in
                let marks = try admin.watermarks(topic: topic, partition: Int32(partition))
                return sum + marks.high - marks.low
            }
        }

        let database = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mia-dlq-\(UUID().uuidString)/capacity.sqlite"
        ).path
        let worker = try ChildProcess(
            "mia-capacity",
            bootstrap + ["--database", database, "--session-timeout-ms", "6000", "--max-attempts", "2"])
        try await produce([Self.referral])
        try await waitUntil("the anvisning to be dead-lettered", timeout: .seconds(90)) {
            try count("mia.dlq.capacity") == 1
        }

        let list = try await runToCompletion("mia", ["dlq", "list", "--worker", "capacity"] + bootstrap)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("1 dead letters in mia.dlq.capacity (0 replayed)"), "\(list.stdout)")
        #expect(list.stdout.contains("asf-late"), "the reason names the undeclared ASF: \(list.stdout)")
        let position = try #require(
            list.stdout.split(separator: "\n").dropFirst().first.map { String($0.prefix { $0 != " " }) })
        let show = try await runToCompletion("mia", ["dlq", "show", "--worker", "capacity", position] + bootstrap)
        #expect(show.stdout.contains("original        mia.referral.v1/"), "\(show.stdout)")
        #expect(show.stdout.contains("\"referralId\" : \"ref-asf-1\""), "the record, as it was: \(show.stdout)")

        // The fix: the ASF declares its places. The dead letter stays where it is until replayed.
        try await produce([Self.declaration])
        let dryRun = try await runToCompletion(
            "mia", ["dlq", "replay", "--worker", "capacity", "--reason", "asf-late", "--dry-run"] + bootstrap)
        #expect(dryRun.stdout.contains("1 to replay, 0 already replayed"), "\(dryRun.stdout)")
        #expect(try count(TopicRegistry.referral) == 1, "a dry run publishes nothing")

        let replay = try await runToCompletion("mia", ["dlq", "replay", "--worker", "capacity"] + bootstrap)
        #expect(replay.stdout.contains("replayed 1, 0 already replayed"), "\(replay.stdout) \(replay.stderr)")
        try await waitUntil("the replayed anvisning to be placed", timeout: .seconds(60)) {
            try count(TopicRegistry.placement) == 1
        }

        let again = try await runToCompletion("mia", ["dlq", "replay", "--worker", "capacity"] + bootstrap)
        #expect(again.stdout.contains("replayed 0, 1 already replayed"), "\(again.stdout)")
        let listed = try await runToCompletion("mia", ["dlq", "list", "--worker", "capacity"] + bootstrap)
        #expect(listed.stdout.contains("(1 replayed)"), "\(listed.stdout)")
        try await Task.sleep(for: .seconds(3))
        #expect(try count(TopicRegistry.referral) == 2, "the original and one replay, no more")
        #expect(try count(TopicRegistry.placement) == 1, "one reservation")
        #expect(try count("mia.dlq.capacity") == 2, "the letter and its replay marker; nothing dead-lettered again")
        #expect(try await worker.stop() == 0)
    }
}
