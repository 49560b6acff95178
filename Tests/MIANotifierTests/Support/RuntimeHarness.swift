import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import ServiceLifecycle
import Testing

/// A development broker with every registry topic and a store file, running workers in this process (the
/// pattern of the runtime's own tests).
final class RuntimeHarness: Sendable {
    let cluster: MockKafkaCluster
    let databasePath: String
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// - Parameter workers: Workers whose dead-letter topics are created when the registry has none.
    init(workers: [String]) throws {
        cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        for spec in TopicRegistry.default.topics {
            try cluster.createTopic(spec.name, partitions: spec.partitions)
        }
        let registered = Set(TopicRegistry.default.topics.map(\.name))
        for worker in workers where !registered.contains(TopicRegistry.deadLetter(worker: worker)) {
            try cluster.createTopic(TopicRegistry.deadLetter(worker: worker), partitions: 6)
        }
        databasePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("mia-notifier-runtime-\(UUID().uuidString)/notifier.sqlite").path
    }

    var kafka: KafkaConfiguration { KafkaConfiguration(bootstrapServers: cluster.bootstrapServers) }

    /// Starts a worker on the harness's store (or `store`), with `services` beside it on the same store, as
    /// `mia-notifier` runs its delivery service; stop it with ``RunningWorker/stop()``.
    func start<Handler: WorkerHandler>(
        _ handler: Handler, store: (any WorkerStore)? = nil,
        services: (any WorkerStore) -> [any Service] = { _ in [] }
    ) throws -> RunningWorker {
        var configuration = WorkerRuntimeConfiguration(kafka: kafka)
        configuration.sessionTimeout = .seconds(6)
        configuration.statisticsInterval = .milliseconds(500)
        configuration.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        let store = try store ?? SQLiteStore(path: databasePath)
        let metrics = WorkerMetrics(worker: handler.name)
        let runtime = WorkerRuntime(
            handler: handler, configuration: configuration, store: store, metrics: metrics, health: HealthState(),
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [runtime] + services(store), logger: logger))
        let task = Task { try await group.run() }
        return RunningWorker(group: group, task: task, metrics: metrics, store: store)
    }

    func produce(_ events: [CloudEvent]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        let records = try events.map { event in
            KafkaProducerMessage(topic: event.topic, key: event.subject, value: Array(try EventEncoder().encode(event)))
        }
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()
    }

    /// Total records on a topic: the sum of its high watermarks, after checking that none was dropped.
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

    /// Every record of a topic, read from the start by a fresh group.
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
    func waitUntil(_ what: String, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws {
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
    let store: any WorkerStore

    /// Shuts down gracefully and waits until the worker has stopped.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// The sum of a counter over all its label sets, from the worker's Prometheus text.
    func counter(_ name: String) -> Double {
        metrics.render().split(separator: "\n")
            .filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }
}

/// A handler under another name, so that it consumes in a consumer group of its own.
struct Renamed<Handler: WorkerHandler>: WorkerHandler {
    let handler: Handler
    let name: String
    var inputTopics: [String] { handler.inputTopics }
    var outputTopics: [String] { handler.outputTopics }
    var migrations: [StoreMigration] { handler.migrations }

    func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput] {
        try handler.handle(input, in: transaction)
    }
}
