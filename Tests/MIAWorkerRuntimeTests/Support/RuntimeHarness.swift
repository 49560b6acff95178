import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import ServiceLifecycle
import Testing

/// A development broker with every registry topic, a store file, and helpers to run a worker in-process.
final class RuntimeHarness: Sendable {
    let cluster: MockKafkaCluster
    let databasePath: String
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    init(extraTopics: [String] = ["mia.dlq.probe"]) throws {
        cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        for spec in TopicRegistry.default.topics {
            try cluster.createTopic(spec.name, partitions: spec.partitions)
        }
        for topic in extraTopics { try cluster.createTopic(topic, partitions: 6) }
        databasePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("mia-runtime-\(UUID().uuidString)/worker.sqlite").path
    }

    var kafka: KafkaConfiguration { KafkaConfiguration(bootstrapServers: cluster.bootstrapServers) }

    func runtimeConfiguration() -> WorkerRuntimeConfiguration {
        var configuration = WorkerRuntimeConfiguration(kafka: kafka)
        configuration.sessionTimeout = .seconds(6)
        configuration.statisticsInterval = .milliseconds(500)
        configuration.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        return configuration
    }

    /// Starts a worker; stop it with ``RunningWorker/stop()``.
    func start<Handler: WorkerHandler>(
        _ handler: Handler, store: (any WorkerStore)? = nil, httpPort: UInt16? = nil,
        configure: (inout WorkerRuntimeConfiguration) -> Void = { _ in }
    ) throws -> RunningWorker {
        var configuration = runtimeConfiguration()
        configure(&configuration)
        let store = try store ?? SQLiteStore(path: databasePath)
        let metrics = WorkerMetrics(worker: handler.name)
        let health = HealthState()
        let runtime = WorkerRuntime(
            handler: handler, configuration: configuration, store: store, metrics: metrics, health: health, logger: logger)
        var services: [any Service] = [runtime]
        if let httpPort { services.append(WorkerHTTPServer(port: httpPort, health: health, metrics: metrics, logger: logger)) }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        let task = Task { try await group.run() }
        return RunningWorker(group: group, task: task, metrics: metrics, health: health, store: store)
    }

    func produce(_ records: [KafkaProducerMessage]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()
    }

    func produce(_ events: [CloudEvent]) async throws {
        try await produce(events.map { KafkaProducerMessage(topic: $0.topic, key: $0.subject, value: Events.bytes($0)) })
    }

    /// Total records on a topic (sum of high watermarks), after checking nothing was dropped.
    func count(_ topic: String) throws -> Int {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        let partitions = try #require(try admin.listTopics()[topic])
        var total = 0
        for partition in 0..<partitions {
            let marks = try admin.watermarks(topic: topic, partition: Int32(partition))
            #expect(marks.low == 0, "the development broker dropped records of \(topic)")
            total += Int(marks.high)
        }
        return total
    }

    /// Reads every record of a topic from the start (a fresh group, deduplicated by position), until all
    /// records up to the high watermarks arrived.
    func read(_ topic: String, timeout: Duration = .seconds(40)) async throws -> [KafkaConsumerMessage] {
        let target = try count(topic)
        var configuration = KafkaConsumerConfiguration(kafka: kafka, groupId: "reader-\(UUID().uuidString)", topics: [topic])
        configuration.sessionTimeout = .seconds(6)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var records: [TopicPartitionOffset: KafkaConsumerMessage] = [:]
        let end = ContinuousClock.now + timeout
        while records.count < target, ContinuousClock.now < end {
            for record in try await consumer.poll(maxMessages: 5000, timeout: .milliseconds(200)) {
                records[TopicPartitionOffset(topic: record.topic, partition: record.partition, offset: record.offset)] = record
            }
        }
        await consumer.close()
        #expect(records.count == target, "read all of \(topic)")
        return records.values.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }

    /// Waits until `condition` holds.
    func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < end else {
                Issue.record("timed out waiting for \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// A worker running in this process.
struct RunningWorker: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>
    let metrics: WorkerMetrics
    let health: HealthState
    let store: any WorkerStore

    /// Shuts down gracefully and waits until the worker has stopped.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// Rows in `probe_effects` (0 before the worker created its tables).
    func effects() async throws -> Int {
        (try? await store.read { Int(try $0.queryOne("SELECT COUNT(*) AS n FROM probe_effects", [])?["n"].integer ?? 0) }) ?? 0
    }

    /// Rows in the inbox (0 before the worker created its tables).
    func inboxCount() async throws -> Int {
        (try? await store.read { Int(try $0.queryOne("SELECT COUNT(*) AS n FROM mia_inbox", [])?["n"].integer ?? 0) }) ?? 0
    }
}

extension RunningWorker {
    /// The value of a counter or gauge in the worker's Prometheus output, summed over label sets that contain
    /// every given label.
    func metric(_ name: String, labels: [String: String] = [:]) -> Double {
        PrometheusText.value(of: name, labels: labels, in: metrics.render())
    }
}

/// A small reader of the Prometheus text format, for assertions.
enum PrometheusText {
    struct Sample { var name: String; var labels: [String: String]; var value: Double }

    /// Parses every sample line; fails the test on a line that is not valid exposition format.
    static func samples(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let value = Double(parts[parts.count - 1]) else {
                Issue.record("not a Prometheus sample: \(line)")
                continue
            }
            let series = parts[0..<(parts.count - 1)].joined(separator: " ")
            var name = series
            var labels: [String: String] = [:]
            if let open = series.firstIndex(of: "{"), series.hasSuffix("}") {
                name = String(series[..<open])
                let body = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in body.split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { Issue.record("bad label in \(line)"); continue }
                    labels[String(kv[0])] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }

    static func value(of name: String, labels: [String: String], in text: String) -> Double {
        samples(text).filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }.reduce(0) { $0 + $1.value }
    }
}
