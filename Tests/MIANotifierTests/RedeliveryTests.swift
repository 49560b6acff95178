import Foundation
import MIAContracts
import MIAKafka
import MIANotifier
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Notifier in the runtime: redelivered input never notifies twice")
struct RedeliveryTests {
    @Test(
        "Duplicates, then the whole input redelivered to a new consumer group on the same store",
        arguments: TestStore.available)
    func redeliveredInput(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["notifier", "notifier-replay"], store: kind)
        let journeys = (20..<32).map { Journey(index: $0) }
        let events = journeys.flatMap { journey in
            [
                journey.referral(),
                journey.meeting(1, .meetingBooked, sequence: 0, start: "2018-03-20 10:00", location: "rum-3"),
                journey.meeting(2, .meetingRescheduled, sequence: 1, start: "2018-03-22 13:30", location: "rum-4"),
                journey.followup(3, .feedback, on: date(2018, 4, 16)),
                journey.followup(4, .approachingEnd, on: date(2018, 9, 3)),
                journey.outcome(5, .studies, on: date(2018, 9, 28)),
            ]
        }
        // Meeting events and follow-ups first: across topics there is no order, so some arrive before the anvisning.
        try await harness.produce(events.filter { $0.type != .referralCreated })
        try await harness.produce(events.filter { $0.type == .referralCreated })
        let duplicates = Array(events.prefix(12))
        try await harness.produce(duplicates)
        let total = events.count + duplicates.count

        let worker = try harness.start(NotifierHandler())
        try await waitUntil("all \(total) records handled") {
            try worker.metric("mia_messages_processed_total") + worker.metric("mia_messages_duplicate_total")
                == Double(total)
        }
        try await waitUntil("the outbox relayed") { try harness.count(TopicRegistry.notification) == events.count }
        try await worker.stop()
        #expect(try worker.metric("mia_messages_duplicate_total") == Double(duplicates.count))
        let kept = try await worker.store.read { transaction in
            try transaction.queryOne("SELECT COUNT(*) AS n FROM notifier_pending", [])?["n"].integer
        }
        #expect(kept == 0, "every notice kept for a later anvisning was sent")

        let replay = try harness.start(
            Renamed(handler: NotifierHandler(), name: "notifier-replay"), store: worker.store)
        try await waitUntil("the replay") { try replay.metric("mia_messages_duplicate_total") == Double(total) }
        try await replay.stop()
        #expect(try replay.metric("mia_messages_processed_total") == 0)

        let records = try await harness.read(TopicRegistry.notification)
        let notifications = try records.compactMap { record -> NotificationRequested? in
            guard case .notificationRequested(let notification) = try EventDecoder().decode(record.value).payload else {
                Issue.record("not a notification on \(TopicRegistry.notification)")
                return nil
            }
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) } == notification.handlaggareId)
            return notification
        }
        #expect(notifications.count == journeys.count * 6, "one notification per fact")
        #expect(Set(notifications.map(\.notificationId)).count == notifications.count, "none twice")
        for journey in journeys {
            let mine = notifications.filter { $0.referralId == journey.referralId }
            #expect(mine.allSatisfy { $0.handlaggareId == journey.handlaggareId })
            #expect(
                Set(mine.map(\.kind))
                    == [
                        .referralReceived, .meetingBooked, .meetingRescheduled, .followupReported, .approachingEnd,
                        .outcomeRecorded,
                    ])
        }
        #expect(try harness.count(TopicRegistry.deadLetter(worker: "notifier")) == 0)
        #expect(try harness.count(TopicRegistry.deadLetter(worker: "notifier-replay")) == 0)
    }
}
