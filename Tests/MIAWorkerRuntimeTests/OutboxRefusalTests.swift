import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import MIAWorkerTestKit
import Testing

@Suite("Worker runtime: an outbox row the broker refuses for good never blocks the rows behind it")
struct OutboxRefusalTests {
    @Test(
        "The dead letter of a 1.2 MB input exceeds message.max.bytes: a small letter names it, the rest is published",
        arguments: TestStore.available)
    func unpublishableDeadLetter(store kind: TestStore) async throws {
        let harness = try RuntimeHarness(workers: ["probe"], store: kind)
        let huge =
            Array("{\"specversion\":\"1.0\",\"padding\":\"".utf8)
            + Array(repeating: UInt8(ascii: "x"), count: 1_200_000) + Array("\"}".utf8)
        var records = [KafkaProducerMessage(topic: TopicRegistry.referral, key: "same-key", value: huge)]
        records += (0..<20).map {
            KafkaProducerMessage(
                topic: TopicRegistry.referral, key: "same-key", value: Events.bytes(Events.referral($0)))
        }
        // Only the test's own producer may write such a record; the worker's keeps librdkafka's 1,000,000 bytes.
        var big = KafkaProducerConfiguration(kafka: harness.kafka)
        big.kafka.properties["message.max.bytes"] = "2000000"
        let producer = try KafkaProducer(configuration: big, logger: harness.logger)
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()

        let worker = try harness.start(ProbeHandler())
        try await waitUntil("every notification published", timeout: .seconds(60)) {
            try harness.count(TopicRegistry.notification) == 20 && harness.count("mia.dlq.probe") == 1
        }
        try await waitUntil("the outbox settled") {
            try await worker.store.read {
                try $0.queryOne("SELECT COUNT(*) AS n FROM mia_outbox WHERE sent = 0", [])?["n"].integer
            } == 0
        }
        #expect(try worker.metric("mia_outbox_refused_total") == 1)
        try await worker.stop()

        let letter = try #require(try await harness.read("mia.dlq.probe").first)
        #expect(letter.value.isEmpty, "the letter is small")
        #expect(letter.keyString == "same-key")
        #expect(letter.headers.string(named: "mia-error-class") == "unpublishable")
        let named = letter.headers.string(named: "mia-refused-output-id") ?? ""
        #expect(named.hasPrefix("dlq:\(TopicRegistry.referral)/") && named.hasSuffix("/0"), "names the input: \(named)")
        #expect(letter.headers.string(named: "mia-refused-topic") == "mia.dlq.probe")
        #expect(letter.headers.string(named: "mia-error-reason")?.contains("messageTooLarge") == true)
        #expect(Int(letter.headers.string(named: "mia-refused-bytes") ?? "") ?? 0 > 1_200_000)
        // The refused row keeps the original bytes in the store.
        let kept = try await worker.store.read {
            try $0.queryOne("SELECT value FROM mia_outbox WHERE sent = 2", [])?["value"].blob
        }
        #expect(kept == huge, "the refused dead letter stays in the store with the original bytes")
        #expect(try harness.count(TopicRegistry.notification) == 20, "nothing published twice")
    }
}
