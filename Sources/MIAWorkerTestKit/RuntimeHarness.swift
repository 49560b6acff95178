import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerRuntime
import ServiceLifecycle

/// A development broker with every registry topic, a store file, and workers run in this process: the fixture of
/// the runtime's and the workers' tests.
public final class RuntimeHarness: Sendable {
    public let cluster: MockKafkaCluster
    /// Which kind of store the workers use unless given another store.
    public let storeKind: TestStore
    /// The store workers use unless given another: a SQLite file path or a PostgreSQL URL with a schema.
    public let database: String
    /// The store location, under its former name: a SQLite path unless ``storeKind`` is PostgreSQL.
    public var databasePath: String { database }
    /// Silent, unless `MIA_TEST_LOG` names a level (`debug`, `info`, ...): then the workers under test log to stderr.
    public let logger: Logger = {
        guard let level = ProcessInfo.processInfo.environment["MIA_TEST_LOG"].flatMap(Logger.Level.init(rawValue:))
        else { return Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }) }
        var logger = Logger(label: "test", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }()

    /// - Parameters:
    ///   - workers: Workers whose dead-letter topics are created when the registry has none.
    ///   - store: The kind of store of ``database``: a new SQLite file or a new PostgreSQL schema.
    public init(workers: [String] = [], store: TestStore = .sqlite) throws {
        cluster = try MockKafkaCluster(brokers: 3, logger: logger)
        for spec in TopicRegistry.default.topics {
            try cluster.createTopic(spec.name, partitions: spec.partitions)
        }
        let registered = Set(TopicRegistry.default.topics.map(\.name))
        for worker in workers where !registered.contains(TopicRegistry.deadLetter(worker: worker)) {
            try cluster.createTopic(TopicRegistry.deadLetter(worker: worker), partitions: 6)
        }
        storeKind = store
        database = store.freshDatabase()
    }

    public var kafka: KafkaConfiguration { KafkaConfiguration(bootstrapServers: cluster.bootstrapServers) }

    /// Settings for a worker on the development broker: short session timeout, frequent statistics, fast backoff.
    public func runtimeConfiguration() -> WorkerRuntimeConfiguration {
        var configuration = WorkerRuntimeConfiguration(kafka: kafka)
        configuration.sessionTimeout = .seconds(6)
        configuration.statisticsInterval = .milliseconds(500)
        configuration.backoff = Backoff(base: .milliseconds(100), cap: .seconds(1))
        return configuration
    }

    /// Starts a worker; stop it with ``RunningWorker/stop()``.
    ///
    /// - Parameters:
    ///   - store: The store (default: the one at ``database``).
    ///   - httpPort: Also serve `/healthz`, `/readyz` and `/metrics` on this port.
    ///   - services: Services run beside the worker on the same store, as a worker process may.
    public func start<Handler: WorkerHandler>(
        _ handler: Handler, store: (any WorkerStore)? = nil, httpPort: UInt16? = nil,
        services: (any WorkerStore) -> [any Service] = { _ in [] },
        configure: (inout WorkerRuntimeConfiguration) -> Void = { _ in }
    ) throws -> RunningWorker {
        var configuration = runtimeConfiguration()
        configure(&configuration)
        let store = try store ?? WorkerStores.open(database)
        let metrics = WorkerMetrics(worker: handler.name)
        let health = HealthState()
        let runtime = WorkerRuntime(
            handler: handler, configuration: configuration, store: store, metrics: metrics, health: health,
            logger: logger)
        var all: [any Service] = [runtime] + services(store)
        if let httpPort {
            all.append(WorkerHTTPServer(port: httpPort, health: health, metrics: metrics, logger: logger))
        }
        let group = ServiceGroup(configuration: .init(services: all, logger: logger))
        let task = Task { try await group.run() }
        return RunningWorker(group: group, task: task, metrics: metrics, health: health, store: store)
    }

    /// Produces records and waits for their delivery reports.
    public func produce(_ records: [KafkaProducerMessage]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(kafka: kafka), logger: logger)
        for result in await producer.send(records) { _ = try result.get() }
        await producer.close()
    }

    /// Produces events on their topics, keyed by their subjects.
    public func produce(_ events: [CloudEvent]) async throws {
        let encoder = EventEncoder()
        try await produce(
            events.map { KafkaProducerMessage(topic: $0.topic, key: $0.subject, value: Array(try encoder.encode($0))) })
    }

    /// Starts a worker executable as a separate process on this broker: what process tests (replicas, SIGKILL)
    /// run instead of an in-process worker.
    /// - Parameters:
    ///   - executable: `mia-booker`, `mia-capacity`, ...
    ///   - database: The worker's store.
    ///   - arguments: Options added to the broker, store, short session timeout and quiet text logs.
    public func workerProcess(_ executable: String, database: String, arguments: [String] = []) throws -> ChildProcess {
        try ChildProcess(
            executable,
            [
                "--bootstrap", cluster.bootstrapServers, "--database", database, "--session-timeout-ms", "6000",
                "--log-format", "text", "--log-level", "warning",
            ] + arguments)
    }

    /// Every event of a topic up to its high watermarks, decoded, in partition and offset order.
    public func events(_ topic: String, timeout: Duration = .seconds(120)) async throws -> [CloudEvent] {
        let decoder = EventDecoder()
        return try await read(topic, timeout: timeout).map { try decoder.decode($0.value) }
    }

    /// Total records on a topic (the sum of its high watermarks).
    ///
    /// - Throws: ``TestKitError`` when a low watermark is above 0: the development broker dropped records.
    public func count(_ topic: String) throws -> Int {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        guard let partitions = try admin.listTopics()[topic] else { throw TestKitError("no topic \(topic)") }
        var total = 0
        for partition in 0..<partitions {
            let marks = try admin.watermarks(topic: topic, partition: Int32(partition))
            guard marks.low == 0 else { throw TestKitError("the development broker dropped records of \(topic)") }
            total += Int(marks.high)
        }
        return total
    }

    /// Every record of a topic up to its high watermarks, read from the start by a fresh group and deduplicated
    /// by position.
    public func read(_ topic: String, timeout: Duration = .seconds(40)) async throws -> [KafkaConsumerMessage] {
        let target = try count(topic)
        var configuration = KafkaConsumerConfiguration(
            kafka: kafka, groupId: "reader-\(UUID().uuidString)", topics: [topic])
        configuration.sessionTimeout = .seconds(6)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        var records: [TopicPartitionOffset: KafkaConsumerMessage] = [:]
        let end = ContinuousClock.now + timeout
        while records.count < target, ContinuousClock.now < end {
            for record in try await consumer.poll(maxMessages: 5000, timeout: .milliseconds(200)) {
                records[TopicPartitionOffset(topic: record.topic, partition: record.partition, offset: record.offset)] =
                    record
            }
        }
        await consumer.close()
        guard records.count == target else {
            throw TestKitError("read \(records.count) of \(target) records of \(topic)")
        }
        return records.values.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}

/// A worker running in this process.
public struct RunningWorker: Sendable {
    let group: ServiceGroup
    let task: Task<Void, any Error>
    public let metrics: WorkerMetrics
    public let health: HealthState
    public let store: any WorkerStore

    /// Shuts down gracefully and waits until the worker has stopped.
    public func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }

    /// A metric's value, summed over the label sets that contain every given label.
    public func metric(_ name: String, labels: [String: String] = [:]) throws -> Double {
        try PrometheusText.value(of: name, labels: labels, in: metrics.render())
    }
}
