import MIAKafka
import Metrics
import Prometheus
import Synchronization

/// The worker's metrics, recorded through swift-metrics into a Prometheus registry served at `/metrics`.
public final class WorkerMetrics: Sendable {
    /// The registry that `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let worker: String
    private let counters = Mutex<[String: Metrics.Counter]>([:])
    private let gauges = Mutex<[String: Metrics.Gauge]>([:])
    private let ownCounters = Mutex<[String: Metrics.Counter]>([:])
    private let ownGauges = Mutex<[String: Metrics.Gauge]>([:])
    private let ownTimers = Mutex<[String: Metrics.Timer]>([:])
    private let processingTime: Metrics.Timer
    private let outboxBacklog: Metrics.Gauge
    private let rebalances: Metrics.Counter
    private let inboxPrunedRows: Metrics.Counter
    private let outboxRefusedRows: Metrics.Counter

    public init(worker: String) {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
        self.worker = worker
        processingTime = Metrics.Timer(
            label: "mia_batch_processing_seconds", dimensions: [("worker", worker)], factory: factory)
        outboxBacklog = Metrics.Gauge(label: "mia_outbox_backlog", dimensions: [("worker", worker)], factory: factory)
        rebalances = Metrics.Counter(label: "mia_rebalances_total", dimensions: [("worker", worker)], factory: factory)
        inboxPrunedRows = Metrics.Counter(
            label: "mia_inbox_pruned_total", dimensions: [("worker", worker)], factory: factory)
        outboxRefusedRows = Metrics.Counter(
            label: "mia_outbox_refused_total", dimensions: [("worker", worker)], factory: factory)
        Self.made.withLock { $0[worker] = WeakReference(metrics: self) }
    }

    func consumed(topic: String, count: Int) {
        counter("mia_messages_consumed_total", topic: topic).increment(by: count)
    }
    func processed(topic: String, count: Int = 1) {
        counter("mia_messages_processed_total", topic: topic).increment(by: count)
    }
    func duplicate(topic: String) { counter("mia_messages_duplicate_total", topic: topic).increment() }
    func retried(topic: String, count: Int) { counter("mia_messages_retried_total", topic: topic).increment(by: count) }
    func published(topic: String, count: Int) {
        counter("mia_messages_published_total", topic: topic).increment(by: count)
    }

    /// Counts one dead letter in `mia_messages_dead_lettered_total`: the runtime's own, and those a worker's services
    /// write themselves (the notifier's undeliverable notifications, class `delivery`), so that one alert sees all.
    public func deadLettered(topic: String, errorClass: String) {
        counter("mia_messages_dead_lettered_total", topic: topic, extra: [("class", errorClass)]).increment()
    }

    func batchProcessed(duration: Duration) { processingTime.record(duration: duration) }
    func outbox(pending: Int) { outboxBacklog.record(pending) }
    /// Inbox rows deleted beyond the inbox horizon.
    func inboxPruned(count: Int) { inboxPrunedRows.increment(by: count) }
    /// Outbox rows the broker refused for good (each replaced by a small dead letter).
    func outboxRefused(count: Int) { outboxRefusedRows.increment(by: count) }
    func rebalanced() { rebalances.increment() }

    func lag(topic: String, partition: Int32, value: Int64) {
        let key = "\(topic)/\(partition)"
        let gauge = gauges.withLock { gauges in
            if let gauge = gauges[key] { return gauge }
            let gauge = Metrics.Gauge(
                label: "mia_consumer_lag",
                dimensions: [("worker", worker), ("topic", topic), ("partition", String(partition))], factory: factory)
            gauges[key] = gauge
            return gauge
        }
        gauge.record(value)
    }

    /// Drops the lag gauges of partitions this member no longer owns: their new owner reports them, and a gauge
    /// left behind would count the same lag twice in the fleet's total.
    func removeLag(of partitions: [TopicPartition]) {
        let removed = gauges.withLock { gauges in
            partitions.compactMap { gauges.removeValue(forKey: "\($0.topic)/\($0.partition)") }
        }
        for gauge in removed { gauge.destroy() }
    }

    /// The metrics in Prometheus text format.
    public func render() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    private func counter(_ label: String, topic: String, extra: [(String, String)] = []) -> Metrics.Counter {
        let key = ([label, topic] + extra.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
        return counters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(
                label: label, dimensions: [("worker", worker), ("topic", topic)] + extra, factory: factory)
            counters[key] = counter
            return counter
        }
    }
}

// MARK: - Metrics of a worker's own services

extension WorkerMetrics {
    /// The newest `WorkerMetrics` made in this process for `worker`, while it lives: how a service that
    /// `WorkerApplication` runs beside the runtime (the notifier's delivery service) records into the registry that
    /// `/metrics` serves, since the application makes the instance.
    public static func newest(worker: String) -> WorkerMetrics? {
        made.withLock { $0[worker]?.metrics }
    }

    /// Adds `amount` to the counter `label` with the worker's label and `labels`; made on first use.
    /// - Parameters:
    ///   - label: The metric name, for example `mia_notifier_deliveries_total`.
    ///   - labels: Label names and values after `worker`; the same names, in the same order, on every call.
    public func increment(_ label: String, by amount: Int = 1, labels: [(String, String)]) {
        let key = Self.key(label, labels)
        let counter = ownCounters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = Metrics.Counter(label: label, dimensions: [("worker", worker)] + labels, factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment(by: amount)
    }

    /// Sets the gauge `label` with the worker's label and `labels` to `value`; made on first use.
    public func set(_ label: String, to value: Double, labels: [(String, String)] = []) {
        let key = Self.key(label, labels)
        let gauge = ownGauges.withLock { gauges in
            if let gauge = gauges[key] { return gauge }
            let gauge = Metrics.Gauge(label: label, dimensions: [("worker", worker)] + labels, factory: factory)
            gauges[key] = gauge
            return gauge
        }
        gauge.record(value)
    }

    /// Records `duration` in the histogram `label` with the worker's label and `labels`; made on first use, with
    /// `buckets` (the runtime's, up to 5 s, when `nil`).
    public func record(
        _ label: String, _ duration: Duration, labels: [(String, String)], buckets: [Duration]? = nil
    ) {
        let key = Self.key(label, labels)
        let timer = ownTimers.withLock { timers in
            if let timer = timers[key] { return timer }
            var factory = self.factory
            if let buckets { factory.durationHistogramBuckets[label] = buckets }
            let timer = Metrics.Timer(label: label, dimensions: [("worker", worker)] + labels, factory: factory)
            timers[key] = timer
            return timer
        }
        timer.record(duration: duration)
    }

    private static func key(_ label: String, _ labels: [(String, String)]) -> String {
        ([label] + labels.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
    }

    /// A reference that does not keep its metrics alive.
    private struct WeakReference: Sendable {
        weak var metrics: WorkerMetrics?
    }

    /// The newest instance per worker name.
    private static let made = Mutex<[String: WeakReference]>([:])
}
