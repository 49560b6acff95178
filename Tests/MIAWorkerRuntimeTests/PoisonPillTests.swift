import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Worker runtime: bad input is dead-lettered, untouched, and the worker goes on")
struct PoisonPillTests {
    @Test(
        "Malformed JSON, wrong type, invalid field, oversize and unknown type each land in the dead-letter topic",
        arguments: TestStore.available)
    func poisonPills(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let valid = (0..<30).map { Events.referral($0) }
        var wrongType = String(decoding: Events.bytes(Events.referral(100)), as: UTF8.self)
        wrongType = wrongType.replacingOccurrences(of: "\"ageAtStart\":30", with: "\"ageAtStart\":\"thirty\"")
        var consentFalse = String(decoding: Events.bytes(Events.referral(101)), as: UTF8.self)
        consentFalse = consentFalse.replacingOccurrences(of: "\"consentGiven\":true", with: "\"consentGiven\":false")
        var unknownType = String(decoding: Events.bytes(Events.referral(102)), as: UTF8.self)
        unknownType = unknownType.replacingOccurrences(of: "se.mia.referral.created", with: "se.mia.referral.exploded")
        let oversize =
            Array("{\"specversion\":\"1.0\",\"padding\":\"".utf8) + Array(repeating: UInt8(ascii: "x"), count: 70_000)
            + Array("\"}".utf8)
        let pills: [(String, [UInt8], String)] = [
            ("malformed", Array("{\"specversion\": \"1.0\", oops".utf8), "decode"),
            ("wrong-type", Array(wrongType.utf8), "decode"),
            ("consent-false", Array(consentFalse.utf8), "validation"),
            ("oversize", oversize, "decode"),
            ("unknown-type", Array(unknownType.utf8), "decode"),
            ("rejected-by-handler", Events.bytes(Events.referral(103, resursrad: "reject")), "validation"),
        ]
        // The pills share a key with valid records, so they sit between them in one partition.
        var records: [KafkaProducerMessage] = []
        for (index, event) in valid.enumerated() {
            records.append(
                KafkaProducerMessage(topic: TopicRegistry.referral, key: "same-key", value: Events.bytes(event)))
            if index % 5 == 2, let pill = pills[safe: index / 5] {
                records.append(
                    KafkaProducerMessage(
                        topic: TopicRegistry.referral, key: "same-key", value: pill.1,
                        headers: [KafkaHeader(name: "pill", string: pill.0)]))
            }
        }
        try await harness.produce(records)

        let worker = try harness.start(ProbeHandler())
        try await waitUntil("every record handled") { try await worker.inboxCount() == records.count }
        try await worker.stop()

        #expect(try await worker.effects() == valid.count)
        let notifications = try await harness.read(TopicRegistry.notification)
        #expect(notifications.count == valid.count)
        let ids = notifications.map { (try? EventDecoder().decode($0.value).id) ?? "?" }
        #expect(Set(ids).count == valid.count, "one notification per anvisning, \(ids.sorted())")
        let letters = try await harness.read("mia.dlq.probe")
        #expect(letters.count == pills.count)
        for (name, bytes, errorClass) in pills {
            let letter = try #require(letters.first { $0.headers.string(named: "pill") == name }, "\(name)")
            #expect(letter.value == bytes, "\(name): original bytes untouched")
            #expect(letter.keyString == "same-key")
            #expect(letter.headers.string(named: "mia-error-class") == errorClass, "\(name)")
            #expect(!(letter.headers.string(named: "mia-error-reason") ?? "").isEmpty)
            #expect(letter.headers.string(named: "mia-original-topic") == TopicRegistry.referral)
            #expect(letter.headers.string(named: "mia-original-partition").flatMap(Int32.init) != nil)
            #expect(letter.headers.string(named: "mia-original-offset").flatMap(Int64.init) != nil)
            #expect(letter.headers.string(named: "mia-original-timestamp").flatMap(Int64.init) != nil)
            #expect(letter.headers.string(named: "mia-worker") == "probe")
        }
        let reasons = Dictionary(
            letters.map {
                ($0.headers.string(named: "pill") ?? "", $0.headers.string(named: "mia-error-reason") ?? "")
            },
            uniquingKeysWith: { first, _ in first })
        #expect(
            reasons["oversize"]?.contains("tooLarge") == true
                || reasons["oversize"]?.lowercased().contains("large") == true)
        #expect(
            reasons["unknown-type"]?.contains("se.mia.referral.exploded") == true
                || reasons["unknown-type"]?.lowercased().contains("unknown") == true)
        #expect(reasons["rejected-by-handler"] == "Resursråd rejects this anvisning")
    }

    @Test(
        "A tombstone (null value) is dead-lettered as a tombstone, an empty value as an empty one",
        arguments: TestStore.available)
    func tombstone(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let records = [
            KafkaProducerMessage(
                topic: TopicRegistry.referral, key: Array("k".utf8), value: [],
                headers: [KafkaHeader(name: "pill", string: "tombstone")], isTombstone: true),
            KafkaProducerMessage(
                topic: TopicRegistry.referral, key: "k", value: [],
                headers: [KafkaHeader(name: "pill", string: "empty")]),
            KafkaProducerMessage(topic: TopicRegistry.referral, key: "k", value: Events.bytes(Events.referral(1))),
        ]
        try await harness.produce(records)
        // What the broker holds: the first value null, the second empty.
        let stored = try await harness.read(TopicRegistry.referral)
        #expect(stored.map(\.isTombstone) == [true, false, false])

        let worker = try harness.start(ProbeHandler())
        try await waitUntil("every record handled") { try await worker.inboxCount() == records.count }
        try await worker.stop()
        #expect(try await worker.effects() == 1)
        let letters = try await harness.read("mia.dlq.probe")
        let tombstone = try #require(letters.first { $0.headers.string(named: "pill") == "tombstone" })
        #expect(tombstone.isTombstone, "still a tombstone")
        #expect(tombstone.keyString == "k")
        #expect(tombstone.headers.string(named: "mia-error-class") == "decode")
        let empty = try #require(letters.first { $0.headers.string(named: "pill") == "empty" })
        #expect(!empty.isTombstone, "an empty value stays empty, not null")
        #expect(empty.value.isEmpty)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
