import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

/// A dead-lettered event id never blocks its corrected version: the agency system's fixed record, which `mia
/// publish` gives the same id (it derives ids from the natural key), is handled by every worker that reads it.
@Suite("A corrected referral after a dead-lettered one, across mia-booker, mia-stats and mia-notifier", .serialized)
struct CorrectedReferralTests {
    @Test(
        "A bad referral put with kcat is dead-lettered by each worker; its correction is booked, counted, notified once"
    )
    func correctionAfterDeadLetter() async throws {
        let person = PublishCommandTests.participants[0]
        let input = try PublishCommandTests.write(
            try PublishCommandTests.json(
                PublishCommandTests.referral(
                    "r-corrected", personnummer: person.twelveDigits, ["insatsContactId": "se-coach-1"]))
                + "\n", name: "referral.ndjson")

        // The record `mia publish` makes of the corrected referral, read back from a scratch broker: the bad one
        // is that record with an insats type that does not exist, under the same id and key.
        let scratch = try PublishCommandTests.clusterWithTopics()
        let made = try await PublishCommandTests.publish([
            "referral", input.path, "--bootstrap", scratch.bootstrapServers,
        ])
        #expect(made.process.terminationStatus == 0, "\(made.stderr)")
        let dumped = try await runToCompletion(
            "kcat", ["-C", "-b", scratch.bootstrapServers, "-t", TopicRegistry.referral, "-e", "-q", "-f", "%k\t%s\n"])
        let fields = try #require(dumped.stdout.split(separator: "\n").first).split(separator: "\t", maxSplits: 1)
        try #require(fields.count == 2, "\(dumped.stdout)")
        let (key, good) = (String(fields[0]), String(fields[1]))
        let corrected = try EventDecoder().decode(Array(good.utf8))
        let bad = good.replacingOccurrences(
            of: "\"insatsType\":\"supportedEmployment\"", with: "\"insatsType\":\"supportedEmploymnet\"")
        #expect(bad != good, "the record names its insats type as expected\n\(good)")
        #expect(throws: ContractViolation.self) { try EventDecoder().decode(Array(bad.utf8)) }

        let harness = try RuntimeHarness()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-corrected-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let badFile = directory.appendingPathComponent("bad.json")
        try Data(bad.utf8).write(to: badFile)
        let put = try await runToCompletion(
            "kcat",
            [
                "-P", "-b", harness.cluster.bootstrapServers, "-t", TopicRegistry.referral, "-k", key, "-H",
                "content-type=application/cloudevents+json", badFile.path,
            ])
        #expect(put.status == 0, "\(put.stderr)")

        let names = ["booker", "stats", "notifier"]
        let databases = names.map { directory.appendingPathComponent("\($0).sqlite").path }
        let workers = try zip(names, databases).map { name, database in
            try harness.workerProcess("mia-\(name)", database: database)
        }
        func letters() -> [Int] { names.map { (try? harness.count(TopicRegistry.deadLetter(worker: $0))) ?? -1 } }
        try await waitUntil("each worker to dead-letter the bad referral", workers, timeout: .seconds(120)) {
            letters() == [1, 1, 1]
        }
        for name in names {
            let letter = try #require(try await harness.read(TopicRegistry.deadLetter(worker: name)).first)
            #expect(letter.value == Array(bad.utf8), "\(name): the original bytes, untouched")
            #expect(letter.headers.first { $0.name == "mia-error-class" }?.stringValue == "validation", "\(name)")
        }

        let published = try await PublishCommandTests.publish([
            "referral", input.path, "--bootstrap", harness.cluster.bootstrapServers,
        ])
        #expect(published.process.terminationStatus == 0, "\(published.stderr)")
        let stats = try TestStore.open(databases[1])
        func receivedNotifications() async -> [NotificationRequested] {
            ((try? await harness.events(TopicRegistry.notification)) ?? []).compactMap { event in
                guard case .notificationRequested(let notification) = event.payload,
                    notification.kind == .referralReceived
                else { return nil }
                return notification
            }
        }
        func bookings() async -> [MeetingEvent] {
            ((try? await harness.events(TopicRegistry.meeting)) ?? []).compactMap { event in
                guard case .meetingBooked(let meeting) = event.payload else { return nil }
                return meeting
            }
        }
        var seen = ""
        do {
            try await waitUntil("the correction to be booked, counted and notified", workers, timeout: .seconds(120)) {
                let counted = await stats.count(
                    "SELECT COUNT(*) AS n FROM stats_referral WHERE referral_id = 'r-corrected'")
                let booked = await bookings().map(\.kind)
                let notified = await receivedNotifications()
                seen = "counted \(counted), booked \(booked), notified \(notified.count)"
                return counted == 1 && booked.contains(.trepartsmote) && !notified.isEmpty
            }
        } catch {
            Issue.record(
                "\(seen); meeting topic \((try? harness.count(TopicRegistry.meeting)) ?? -1), notification topic \((try? harness.count(TopicRegistry.notification)) ?? -1)"
            )
            throw error
        }
        // Time for a second effect to show, were there one.
        try await Task.sleep(for: .seconds(5))
        for worker in workers { #expect(try await worker.stop(signal: SIGTERM) == 0, "\(worker.stderr.suffix(2000))") }

        let notified = await receivedNotifications()
        #expect(notified.count == 1, "notified once")
        #expect(notified.first?.referralId == "r-corrected")
        let booked = await bookings()
        #expect(booked.allSatisfy { $0.referralId == "r-corrected" })
        #expect(Set(booked.map(\.meetingId)).count == booked.count, "each meeting booked once")
        #expect(booked.filter { $0.kind == .trepartsmote }.count == 1, "one trepartsmöte")
        let counted = try await stats.read { transaction in
            try transaction.query("SELECT event_id FROM stats_referral", []).map { $0["event_id"].text ?? "" }
        }
        #expect(counted == [corrected.id], "counted once, from the corrected record")
        #expect(letters() == [1, 1, 1], "the correction was not dead-lettered")
        await stats.close()
    }
}
