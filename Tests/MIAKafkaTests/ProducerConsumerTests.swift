import Foundation
import MIAKafka
import Testing

@Suite("Producer and consumer against the mock cluster")
struct ProducerConsumerTests {
    @Test("Round trip with keys, headers and 6 partitions keeps order per key")
    func roundTrip() async throws {
        let test = try TestCluster()
        let topic = try test.topic(partitions: 6)
        let producer = try test.producer()
        let keys = (0..<24).map { "participant-\($0)" }
        var messages: [KafkaProducerMessage] = []
        for sequence in 0..<1200 {
            let key = keys[sequence % keys.count]
            messages.append(
                KafkaProducerMessage(
                    topic: topic, key: key, value: Array("{\"seq\":\(sequence)}".utf8),
                    headers: [
                        KafkaHeader(name: "seq", string: String(sequence)), KafkaHeader(name: "empty", value: nil),
                    ]))
        }
        let reports = await producer.send(messages)
        #expect(reports.allSatisfy { (try? $0.get()) != nil })
        await producer.close()

        let consumer = try test.consumer(group: "round-trip", topics: [topic])
        let received = try await consume(consumer, count: messages.count)
        await consumer.close()

        #expect(received.count == messages.count)
        #expect(Set(received.map(\.partition)).count == 6, "keys spread over all partitions")
        var partitionOfKey: [String: Int32] = [:]
        var lastSequence: [String: Int] = [:]
        for message in received {
            let key = try #require(message.keyString)
            let sequence = try #require(message.headers.string(named: "seq").flatMap(Int.init))
            #expect(message.value == Array("{\"seq\":\(sequence)}".utf8))
            #expect(message.headers.contains(KafkaHeader(name: "empty", value: nil)))
            #expect(message.timestampMilliseconds != nil)
            #expect(partitionOfKey[key, default: message.partition] == message.partition, "one partition per key")
            partitionOfKey[key] = message.partition
            if let last = lastSequence[key] {
                #expect(sequence > last, "order per key")
            }
            lastSequence[key] = sequence
        }
        #expect(lastSequence.count == keys.count)
    }

    @Test("Delivery to an unreachable broker fails with a typed timeout, not a hang")
    func deliveryTimeout() async throws {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        configuration.deliveryTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: TestCluster(brokers: 1).logger)
        let started = ContinuousClock.now
        await #expect {
            try await producer.send(KafkaProducerMessage(topic: "nowhere", key: "k", value: [1, 2, 3]))
        } throws: { error in
            (error as? KafkaError)?.code == .messageTimedOut
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        await producer.close(timeout: .seconds(1))
    }

    @Test("Watermarks are read back per partition")
    func watermarks() async throws {
        let test = try TestCluster()
        let topic = try test.topic(partitions: 3)
        let producer = try test.producer()
        let perPartition: [Int32: Int] = [0: 5, 1: 0, 2: 12]
        var messages: [KafkaProducerMessage] = []
        for (partition, count) in perPartition {
            for index in 0..<count {
                messages.append(
                    KafkaProducerMessage(topic: topic, key: nil, value: [UInt8(index)], partition: partition))
            }
        }
        _ = await producer.send(messages)
        for (partition, count) in perPartition {
            let marks = try producer.watermarks(topic: topic, partition: partition)
            #expect(marks.low == 0)
            #expect(marks.high == Int64(count))
        }
        await producer.close()
    }

    @Test("Records are lz4-compressed by default (bytes on the wire well below the payload)")
    func compression() async throws {
        let test = try TestCluster(brokers: 1)
        let topic = try test.topic(partitions: 1)
        // JSON-like, repetitive payloads, as MIAFlow's CloudEvents are.
        let payload = Array(
            String(repeating: "{\"specversion\":\"1.0\",\"type\":\"se.mia.referral.created\"}", count: 20).utf8)
        let count = 2000
        let rawBytes = payload.count * count

        func bytesSent(compression: String) async throws -> Int {
            let producer = try test.producer {
                $0.compression = compression
                $0.statisticsInterval = .milliseconds(100)
            }
            let messages = (0..<count).map { _ in KafkaProducerMessage(topic: topic, key: "k", value: payload) }
            _ = await producer.send(messages)
            // Statistics are periodic: wait for a report that counts every message as transmitted.
            var sent = 0
            for await json in producer.statistics {
                let (messages, bytes) = try Self.transmitted(json)
                if messages >= count {
                    sent = bytes
                    break
                }
            }
            await producer.close()
            return sent
        }

        let compressed = try await bytesSent(compression: "lz4")
        let uncompressed = try await bytesSent(compression: "none")
        #expect(KafkaProducerConfiguration(kafka: test.kafka).compression == "lz4")
        #expect(compressed > 0)
        #expect(compressed < rawBytes / 5, "lz4 sent \(compressed) bytes for \(rawBytes) bytes of payload")
        #expect(uncompressed > rawBytes, "uncompressed sent \(uncompressed) bytes for \(rawBytes) bytes of payload")
    }

    /// Messages transmitted, and bytes sent to the brokers, from librdkafka's statistics JSON.
    static func transmitted(_ json: String) throws -> (messages: Int, bytes: Int) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let brokers = try #require(object["brokers"] as? [String: [String: Any]])
        let bytes = brokers.values.reduce(0) {
            $0 + (($1["nodeid"] as? Int ?? -1) >= 0 ? ($1["txbytes"] as? Int ?? 0) : 0)
        }
        return (object["txmsgs"] as? Int ?? 0, bytes)
    }

    @Test("Pause stops a partition's records until resume")
    func pauseResume() async throws {
        let test = try TestCluster()
        let topic = try test.topic(partitions: 2)
        let producer = try test.producer()
        let consumer = try test.consumer(group: "pause", topics: [topic])
        // Join the group first.
        _ = await producer.send([KafkaProducerMessage(topic: topic, key: nil, value: [0], partition: 1)])
        let first = try await consume(consumer, count: 1)
        #expect(first.count == 1)
        let paused = TopicPartition(topic: topic, partition: 0)
        try consumer.pause([paused])
        _ = await producer.send(
            (0..<10).map { KafkaProducerMessage(topic: topic, key: nil, value: [UInt8($0)], partition: 0) })
        _ = await producer.send(
            (0..<10).map { KafkaProducerMessage(topic: topic, key: nil, value: [UInt8($0)], partition: 1) })
        let whilePaused = try await consume(consumer, count: 10, within: .seconds(10))
        #expect(whilePaused.count == 10)
        #expect(whilePaused.allSatisfy { $0.partition == 1 })
        let extra = try await consume(consumer, count: 1, within: .seconds(1))
        #expect(extra.isEmpty)
        try consumer.resume([paused])
        let afterResume = try await consume(consumer, count: 10)
        #expect(afterResume.count == 10)
        #expect(afterResume.allSatisfy { $0.partition == 0 })
        try await consumer.commit()
        let committed = try consumer.committed([paused, TopicPartition(topic: topic, partition: 1)])
        #expect(committed.map(\.offset) == [10, 11])
        await consumer.close()
        await producer.close()
    }
}
