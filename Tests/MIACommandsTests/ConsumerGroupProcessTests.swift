import Foundation
import Logging
import MIAKafka
import MIAWorkerTestKit
import Testing

@Suite("Two consumer processes in one group")
struct ConsumerGroupProcessTests {
    struct Record: Hashable { let partition: Int; let offset: Int }

    /// The distinct records both members printed.
    static func distinct(_ children: ChildProcess...) -> Int {
        Set(children.flatMap { (try? records($0)) ?? [] }).count
    }

    static func records(_ child: ChildProcess) throws -> [Record] {
        try child.stdoutLines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return Record(
                partition: try #require(object["partition"] as? Int), offset: try #require(object["offset"] as? Int))
        }
    }

    @Test("Partitions are split, and taken over when one member stops, with nothing lost or repeated")
    func splitAndTakeOver() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        let topic = "group.test.\(UUID().uuidString.prefix(8))"
        try cluster.createTopic(topic, partitions: 6)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(
                kafka: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)),
            logger: logger)
        var produced = 0
        func produce(_ count: Int) async throws {
            let messages = (produced..<produced + count).map {
                KafkaProducerMessage(topic: topic, key: "key-\($0 % 50)", value: Array("record \($0)".utf8))
            }
            for result in await producer.send(messages) { _ = try result.get() }
            produced += count
        }
        let arguments = [
            "consume", "--bootstrap", cluster.bootstrapServers, "--topic", topic, "--group", "split",
            "--session-timeout", "6000",
        ]

        try await produce(600)
        let first = try ChildProcess("mia", arguments, environment: ["MIA_LOG_LEVEL": "info"])
        try await first.waitUntil("the first member to read the backlog") { $0.stdoutLines.count >= 600 }

        let second = try ChildProcess("mia", arguments, environment: ["MIA_LOG_LEVEL": "info"])
        try await second.waitUntil("the second member's assignment", timeout: .seconds(90)) {
            $0.stderr.contains("assigned: ")
        }
        try await produce(600)
        try await second.waitUntil("both members to read the second batch") { _ in
            Self.distinct(first, second) >= 1200
        }
        #expect(try Self.records(second).count > 0, "the second member got partitions")
        #expect(try Self.records(first).count > 600, "the first member kept partitions")

        #expect(try await first.stop(signal: SIGTERM) == 0)
        try await second.waitUntil("the second member to take over all partitions", timeout: .seconds(90)) { child in
            child.stderr.split(separator: "\n").last { $0.hasPrefix("assigned: ") }.map {
                $0.split(separator: " ").count == 7
            } ?? false
        }
        try await produce(600)
        try await second.waitUntil("the second member to read the third batch") { _ in
            Self.distinct(first, second) >= 1800
        }
        #expect(try await second.stop(signal: SIGTERM) == 0)
        await producer.close()

        let all = try Self.records(first) + Self.records(second)
        var expected: Set<Record> = []
        for partition in 0..<6 {
            let marks = try producer.watermarks(topic: topic, partition: Int32(partition))
            #expect(marks.low == 0, "nothing dropped by the development broker")
            for offset in 0..<Int(marks.high) { expected.insert(Record(partition: partition, offset: offset)) }
        }
        #expect(expected.count == 1800)
        let missing = expected.subtracting(all)
        #expect(missing.count == 0, "every record read")
        #expect(
            all.count == expected.count,
            "no record read twice: offsets were committed before the hand-over\nfirst:\n\(first.stderr)\nsecond:\n\(second.stderr)"
        )
    }
}
