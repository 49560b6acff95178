import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

/// The worker runtime seen from outside: a real `mia-notifier` process, signals, restarts and its HTTP endpoint.
@Suite("Worker processes: SIGTERM, SIGKILL, metrics and --help", .serialized)
struct WorkerProcessTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func referral(_ index: Int) -> KafkaProducerMessage {
        let participant = "p-" + String(format: "%032x", index % 5000)
        let referral = ReferralCreated(
            referralId: "ref-\(index)", participantRef: participant, delprojekt: .stockholm, resursrad: "rr-1",
            insatsType: .caseManagement, handlaggare: .init(agency: .fk, id: "h-\(index % 40)", contactChannel: "c-1"),
            agencyCaseRef: "FK-\(index)", consentGiven: true, decisionDate: CalendarDate(year: 2019, month: 2, day: 1)!,
            plannedStart: CalendarDate(year: 2019, month: 2, day: 11)!,
            plannedEnd: CalendarDate(year: 2019, month: 8, day: 30)!,
            legalGender: .kvinna, ageAtStart: 41, employmentStatus: .longTermUnemployed, educationLevel: .isced0_2)
        let event = CloudEvent(
            id: "10000000-0000-4000-8000-" + String(format: "%012d", index), source: "/test",
            time: Date(timeIntervalSince1970: 1_550_000_000), payload: .referralCreated(referral))
        return KafkaProducerMessage(
            topic: event.topic, key: event.subject, value: Array(try! EventEncoder().encode(event)))
    }

    struct Broker {
        let cluster: MockKafkaCluster
        let kafka: KafkaConfiguration
        let logger: Logger

        init(logger: Logger) throws {
            cluster = try MockKafkaCluster(brokers: 3, logger: logger)
            for spec in TopicRegistry.default.topics { try cluster.createTopic(spec.name, partitions: spec.partitions) }
            kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
            self.logger = logger
        }

        func produce(_ records: [KafkaProducerMessage]) async throws {
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
            for chunk in stride(from: 0, to: records.count, by: 10_000) {
                for result in await producer.send(Array(records[chunk..<min(chunk + 10_000, records.count)])) {
                    _ = try result.get()
                }
            }
            await producer.close()
        }

        /// Distinct event ids and total records on a topic, read with kcat up to the end.
        func eventIds(_ topic: String) async throws -> (distinct: Set<String>, total: Int) {
            let admin = try KafkaAdmin(configuration: kafka, logger: logger)
            for partition in 0..<6 {
                #expect(try admin.watermarks(topic: topic, partition: Int32(partition)).low == 0, "nothing dropped")
            }
            let output = try await runToCompletion(
                "kcat", ["-C", "-b", cluster.bootstrapServers, "-t", topic, "-e", "-q", "-f", "%s\n"],
                timeout: .seconds(120))
            var ids: Set<String> = []
            var total = 0
            for line in output.stdout.split(separator: "\n") {
                total += 1
                if let id = (try? EventDecoder().decode(Array(line.utf8)))?.id { ids.insert(id) }
            }
            return (ids, total)
        }
    }

    func notifier(_ broker: Broker, database: String, port: Int? = nil) throws -> ChildProcess {
        var arguments = [
            "--bootstrap", broker.cluster.bootstrapServers, "--database", database, "--session-timeout-ms", "6000",
            "--log-format", "json",
        ]
        if let port { arguments += ["--http-port", String(port)] }
        return try ChildProcess("mia-notifier", arguments)
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("mia-worker-\(UUID().uuidString)/notifier.sqlite")
            .path
    }

    static func freePort() -> Int { freeLoopbackPort() }

    /// GET a worker endpoint with curl; the body when the status is 2xx.
    static func get(port: Int, path: String) async -> String? {
        guard
            let output = try? await runToCompletion(
                "curl", ["-sf", "--max-time", "5", "http://127.0.0.1:\(port)\(path)"], timeout: .seconds(10)),
            output.status == 0
        else { return nil }
        return output.stdout
    }

    static func metrics(port: Int) async -> String? {
        await get(port: port, path: "/metrics")
    }

    /// The sum of a counter over its label sets, from Prometheus text; fails on lines that do not parse.
    static func counter(_ name: String, in text: String) -> Double {
        do {
            return try PrometheusText.value(of: name, in: text)
        } catch {
            Issue.record("\(error)")
            return 0
        }
    }

    @Test("SIGTERM mid-stream exits 0, and committed offsets equal what was processed; /metrics counts match")
    func gracefulShutdown() async throws {
        let broker = try Broker(logger: logger)
        let count = 10_000
        try await broker.produce((0..<count).map(Self.referral))
        let database = Self.temporaryDatabase()
        let port = Self.freePort()
        let first = try notifier(broker, database: database, port: port)
        var processedBeforeStop = 0.0
        try await first.waitUntil("the first run to process some records", timeout: .seconds(120)) { _ in
            false
        } orMetrics: {
            guard let text = await Self.metrics(port: port) else { return false }
            processedBeforeStop = Self.counter("mia_messages_processed_total", in: text)
            return processedBeforeStop >= 500
        }
        #expect(await Self.get(port: port, path: "/readyz")?.hasPrefix("ready") == true, "ready while consuming")
        #expect(await Self.get(port: port, path: "/healthz") == "ok\n")
        let started = ContinuousClock.now
        let status = try await first.stop(signal: SIGTERM, timeout: .seconds(60))
        #expect(status == 0, "exit 0 after SIGTERM\n\(first.stderr.suffix(3000))")
        #expect(ContinuousClock.now - started < .seconds(35), "within the shutdown deadline")

        // What the group committed is exactly what the first run processed: the second run sees the rest once.
        let second = try notifier(broker, database: database, port: port + 1)
        var final = ""
        try await second.waitUntil("the second run to finish", timeout: .seconds(120)) { _ in
            false
        } orMetrics: {
            guard let text = await Self.metrics(port: port + 1) else { return false }
            final = text
            guard Self.counter("mia_messages_consumed_total", in: text) > 0 else { return false }
            let published = try? await broker.eventIds(TopicRegistry.notification).distinct.count
            return published == count
        }
        #expect(try await second.stop(signal: SIGTERM) == 0)
        #expect(
            Self.counter("mia_messages_duplicate_total", in: final) == 0, "nothing processed twice after the restart")
        #expect(Self.counter("mia_messages_dead_lettered_total", in: final) == 0)
        let notifications = try await broker.eventIds(TopicRegistry.notification)
        #expect(notifications.distinct.count == count)
        #expect(notifications.total == count, "each notification published once")
    }

    @Test("SIGKILL at random points three times: every input has exactly one effect, no output missing")
    func crashAndRestart() async throws {
        let broker = try Broker(logger: logger)
        let count = 20_000
        try await broker.produce((0..<count).map(Self.referral))
        let database = Self.temporaryDatabase()
        for round in 0..<3 {
            let worker = try notifier(broker, database: database)
            try await Task.sleep(for: .milliseconds(Int.random(in: 4000...9000)))
            #expect(
                worker.process.isRunning, "round \(round): still running before the kill\n\(worker.stderr.suffix(2000))"
            )
            try await worker.stop(signal: SIGKILL)
        }
        let last = try notifier(broker, database: database)
        let end = ContinuousClock.now + .seconds(240)
        var notifications = try await broker.eventIds(TopicRegistry.notification)
        while notifications.distinct.count < count, ContinuousClock.now < end {
            try await Task.sleep(for: .seconds(2))
            notifications = try await broker.eventIds(TopicRegistry.notification)
        }
        #expect(try await last.stop(signal: SIGTERM) == 0)
        #expect(notifications.distinct.count == count, "every output event id appears (duplicates allowed)")
        #expect(notifications.total >= count)
        #expect(try await broker.eventIds("mia.dlq.notifier").total == 0, "nothing dead-lettered")
    }

    @Test("--help documents every flag and its environment variable")
    func help() async throws {
        let output = try await runToCompletion("mia-notifier", ["--help"])
        #expect(output.status == 0)
        for flag in ["--bootstrap", "--database", "--http-port", "--max-attempts", "--log-format"] {
            #expect(output.stdout.contains(flag), "\(flag)")
        }
        for variable in ["MIA_KAFKA_BOOTSTRAP", "MIA_DATABASE", "MIA_HTTP_PORT", "MIA_MAX_ATTEMPTS", "MIA_LOG_FORMAT"] {
            #expect(output.stdout.contains(variable), "\(variable)")
        }
    }
}

extension ChildProcess {
    /// Polls an asynchronous condition (for example over HTTP) until it holds, while the process runs.
    func waitUntil(
        _ what: String, timeout: Duration, _ processCondition: (ChildProcess) -> Bool,
        orMetrics condition: () async -> Bool
    ) async throws {
        let end = ContinuousClock.now + timeout
        while !processCondition(self), await !condition() {
            guard ContinuousClock.now < end, process.isRunning else {
                Issue.record(
                    "timed out waiting for \(what); running=\(process.isRunning)\nstderr:\n\(stderr.suffix(3000))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
