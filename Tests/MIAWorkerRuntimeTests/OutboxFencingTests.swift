import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

@testable import MIAWorkerRuntime

/// The outbox relay's fence: a pass whose lease passed to another replica while its records were on their way
/// marks nothing, and sends the newest record of each compacted key it sent once more, so that a record it got
/// to the broker late cannot leave a stale state as the key's last.
@Suite("Outbox relay fencing and the newest row of compacted keys", .serialized)
struct OutboxFencingTests {
    static let statusKey = Array("asf-1/verkstad".utf8)

    static func status(_ version: Int) -> KafkaProducerMessage {
        KafkaProducerMessage(topic: TopicRegistry.asfStatus, key: statusKey, value: Array("v\(version)".utf8))
    }

    static func notification(_ version: Int) -> KafkaProducerMessage {
        KafkaProducerMessage(topic: TopicRegistry.notification, key: statusKey, value: Array("n\(version)".utf8))
    }

    @Test(
        "A pass fenced while its delivery reports were out sends the newest row of its compacted keys again",
        arguments: TestStore.available)
    func fencedPass(store kind: TestStore) async throws {
        let broker = try RuntimeHarness(store: kind)
        let store = try WorkerStores.open(broker.database)
        try await store.migrate(RuntimeTables.migrations)
        // replica-a reaches the broker over a slow link: a broker of its own that answers after 12 s, so that its
        // pass waits for its delivery reports twice as long as its 6 s lease lasts. (One broker for both would
        // release the delayed answers at the successor's first request.) The lease is long because a pass
        // publishes only within a third of it: on a loaded machine a shorter window passed before replica-a's
        // records went out, and then there was nothing to fence.
        let slowBroker = try MockKafkaCluster(brokers: 1, logger: broker.logger)
        try slowBroker.createTopic(TopicRegistry.asfStatus, partitions: 6)
        func producer(_ bootstrap: String) throws -> KafkaProducer {
            var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: bootstrap))
            configuration.deliveryTimeout = .seconds(30)
            return try KafkaProducer(configuration: configuration, logger: broker.logger)
        }
        let producers = [try producer(slowBroker.bootstrapServers), try producer(broker.cluster.bootstrapServers)]
        func relay(_ owner: String, _ producer: KafkaProducer) -> OutboxRelay {
            OutboxRelay(
                store: store, producer: producer,
                lease: StoreLease(name: "outbox", owner: owner, duration: .seconds(6)),
                worker: "probe", logger: broker.logger)
        }
        let (old, successor) = (relay("replica-a", producers[0]), relay("replica-b", producers[1]))
        // Connected first, so that only the pass's own produce request waits.
        _ = try await producers[0].send(KafkaProducerMessage(topic: TopicRegistry.asfStatus, key: nil, value: []))
        slowBroker.setRoundTripTime(broker: 1, milliseconds: 12_000)

        try await store.write { try $0.enqueueForRelay(id: "status-1", Self.status(1)) }
        let slowPass = Task { try await old.relay() }
        try await waitUntil("replica-a's pass holds the lease") {
            try await store.read { try $0.queryOne("SELECT owner FROM mia_relay_lease", [])?["owner"].text }
                == "replica-a"
        }

        // Meanwhile a newer state of the key is queued, and replica-b takes the lease over once it has run out
        // (until then its passes find it held) and publishes both rows.
        try await store.write { try $0.enqueueForRelay(id: "status-2", Self.status(2)) }
        var first = try await successor.relay()
        while !first.held {
            try await Task.sleep(for: .milliseconds(100))
            first = try await successor.relay()
        }
        #expect(first.sent == 2 && first.pending == 0, "\(first)")

        // replica-a's reports arrive: it is fenced, marks nothing and hands the newest row back.
        let fenced = try await slowPass.value
        #expect(fenced.sent == 0)
        let unsent = try await store.read { transaction in
            try transaction.query("SELECT output_id FROM mia_outbox WHERE sent = 0", []).compactMap {
                $0["output_id"].text
            }
        }
        #expect(unsent == ["status-2"], "only the key's newest row is sent again")

        let second = try await successor.relay()
        #expect(second.sent == 1 && second.pending == 0)
        let values = try await broker.read(TopicRegistry.asfStatus).map { String(decoding: $0.value, as: UTF8.self) }
        #expect(values == ["v1", "v2", "v2"], "the key ends on its newest state")
        for producer in producers { await producer.close() }
        await store.close()
    }

    @Test(
        "Once a newer row of a compacted key is sent, the older rows of the key go; rows of other topics stay until pruned",
        arguments: TestStore.available)
    func newestRowPerCompactedKey(store kind: TestStore) async throws {
        let broker = try RuntimeHarness(store: kind)
        let store = try WorkerStores.open(broker.database)
        try await store.migrate(RuntimeTables.migrations)
        let producer = try KafkaProducer(configuration: .init(kafka: broker.kafka), logger: broker.logger)
        let relay = OutboxRelay(
            store: store, producer: producer, lease: StoreLease(name: "outbox", owner: "replica-a"), worker: "probe",
            logger: broker.logger)
        func rows() async throws -> [String] {
            try await store.read { transaction in
                try transaction.query("SELECT output_id, sent FROM mia_outbox ORDER BY seq", []).map {
                    "\($0["output_id"].text ?? "")=\($0["sent"].integer ?? -1)"
                }
            }
        }
        try await store.write {
            try $0.enqueueForRelay([("status-1", Self.status(1)), ("note-1", Self.notification(1))])
        }
        _ = try await relay.relay()
        try await store.write { try $0.enqueueForRelay(id: "status-2", Self.status(2)) }
        #expect(try await rows() == ["status-1=1", "note-1=1", "status-2=0"], "kept until the newer one is sent")
        try await store.write {
            try $0.enqueueForRelay([("status-3", Self.status(3)), ("note-2", Self.notification(2))])
        }
        _ = try await relay.relay()
        #expect(try await rows() == ["note-1=1", "status-3=1", "note-2=1"])
        await producer.close()
        await store.close()
    }
}
