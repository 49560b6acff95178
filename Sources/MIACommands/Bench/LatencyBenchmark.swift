import Foundation
import MIAContracts
import MIAKafka

/// Latency: referral published → notification on `mia.notification.v1`, at a steady rate.
///
/// mia-notifier runs alone on a fresh broker with a low `fetch.wait.max.ms` (the development broker answers an
/// empty fetch only after the full wait, and new data does not wake it). After one warm-up referral has been
/// notified, the bench publishes the referrals' final payloads with MIAFlow's own producer at a steady rate.
/// The latency of a referral is its notification's CreateTime minus the referral's CreateTime: both stamped by
/// librdkafka on this machine, one clock. It includes the referral producer's linger, the fetch, the batch's store
/// transaction and commit, and the outbox relay up to the notification's produce call.
struct LatencyBenchmark {
    /// The runner whose processes and directories are used.
    let runner: BenchRunner
    /// Referrals per second.
    let rate: Int
    /// How long to publish.
    let duration: Duration
    /// The notifier's `fetch.wait.max.ms`.
    let fetchWaitMaxMs: Int
    /// The HTTP port of the notifier's /metrics, if it serves one.
    let httpPort: Int?

    /// The target of p99, in milliseconds.
    static let targetP99 = 50.0

    /// The referrals published.
    var count: Int { max(1, Int(Double(rate) * duration.seconds)) }

    /// The rows p50, p99 and max, without figures.
    var plannedRows: [BenchReport.Row] {
        let label = "latency referral → notification, \(rate)/s for \(String(format: "%g", duration.seconds)) s"
        return [
            BenchReport.Row(id: "latency.p50", label: "\(label): p50", unit: "ms", target: "-"),
            BenchReport.Row(
                id: "latency.p99", label: "\(label): p99", unit: "ms", target: "< \(Int(Self.targetP99)) ms"),
            BenchReport.Row(id: "latency.max", label: "\(label): max", unit: "ms", target: "-"),
        ]
    }

    /// The rows p50, p99 and max.
    func run(available: Bool) async throws -> [BenchReport.Row] {
        var rows = plannedRows
        guard available else {
            for index in rows.indices { rows[index].problem = "not available (placeholder executable)" }
            return rows
        }
        let payloads = try readPayloads(count + 1)
        guard payloads.count == count + 1 else {
            throw CommandFailure(part: "latency", message: "only \(payloads.count) referral payloads for \(count + 1)")
        }
        let broker = try await runner.startBroker("latency-broker")
        let store = runner.dataDirectory.appendingPathComponent("latency-notifier.sqlite")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + suffix) }
        let notifier = try runner.start(
            "mia-notifier-latency", runner.executable("mia-notifier"),
            [
                "--bootstrap", broker.kafka.bootstrapServers, "--database", store.path, "--session-timeout-ms",
                "6000", "--fetch-wait-max-ms", String(fetchWaitMaxMs), "--log-format", "json",
            ] + (httpPort.map { ["--http-port", String($0)] } ?? []))
        let failures = try await publish(payloads, kafka: broker.kafka, notifier: notifier)
        guard failures == 0 else {
            throw CommandFailure(part: "latency", message: "\(failures) referrals were not delivered")
        }
        try await waitForNotifications(count + 1, kafka: broker.kafka, notifier: notifier, timeout: .seconds(300))
        let latencies = try await measure(kafka: broker.kafka, skipping: payloads[0])
        let marks = try await runner.watermarks(
            [TopicRegistry.referral, TopicRegistry.notification], kafka: broker.kafka)
        await runner.stop(notifier)
        await runner.stop(broker.process)

        guard marks.dropped.isEmpty else {
            for index in rows.indices { rows[index].problem = "invalid: broker dropped records" }
            return rows
        }
        guard latencies.count == count else {
            for index in rows.indices { rows[index].problem = "failed: \(latencies.count) of \(count) matched" }
            return rows
        }
        let sorted = latencies.sorted()
        func percentile(_ share: Double) -> Double {
            sorted[max(0, Int((share * Double(sorted.count)).rounded(.up)) - 1)]
        }
        rows[0].value = percentile(0.5)
        rows[1].value = percentile(0.99)
        rows[1].met = rows[1].value.map { $0 < Self.targetP99 }
        rows[2].value = sorted.last
        for index in rows.indices {
            rows[index].details = ["referrals": Double(count), "fetchWaitMaxMs": Double(fetchWaitMaxMs)]
        }
        return rows
    }

    /// The first `count` referral payloads (key and value).
    private func readPayloads(_ count: Int) throws -> [KafkaProducerMessage] {
        let data = try Data(contentsOf: runner.payloadFile(.referrals))
        var messages: [KafkaProducerMessage] = []
        for line in data.split(separator: UInt8(ascii: "\n")).prefix(count) {
            guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
            messages.append(
                KafkaProducerMessage(
                    topic: TopicRegistry.referral, key: Array(line[line.startIndex..<tab]),
                    value: Array(line[line.index(after: tab)...])))
        }
        return messages
    }

    /// Publishes the warm-up referral, waits for its notification, then publishes the rest steadily; the
    /// producer is gone when this returns, before the broker stops.
    /// - Returns: The number of failed deliveries.
    private func publish(_ payloads: [KafkaProducerMessage], kafka: KafkaConfiguration, notifier: ManagedProcess)
        async throws -> Int
    {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(kafka: kafka), logger: CommandLogging.logger("mia.bench"))
        // Warm up: the group has joined and one referral went all the way through.
        try await send([payloads[0]], producer)
        try await waitForNotifications(1, kafka: kafka, notifier: notifier, timeout: .seconds(120))
        let failures = try await publishSteadily(Array(payloads.dropFirst()), producer)
        await producer.close()
        return failures
    }

    private func send(_ messages: [KafkaProducerMessage], _ producer: KafkaProducer) async throws {
        for case .failure(let error) in await producer.send(messages) {
            throw CommandFailure(part: "latency", message: "publishing a referral failed: \(error)")
        }
    }

    /// Publishes the messages at ``rate`` per second, in steps of about 1 ms, without waiting for delivery
    /// reports between steps.
    /// - Returns: The number of failed deliveries.
    private func publishSteadily(_ messages: [KafkaProducerMessage], _ producer: KafkaProducer) async throws -> Int {
        let rate = Double(self.rate)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            let start = ContinuousClock.now
            var sent = 0
            while sent < messages.count {
                try runner.checkInterrupted()
                let due = min(messages.count, Int(((ContinuousClock.now - start).seconds * rate).rounded(.down)) + 1)
                if due > sent {
                    let batch = Array(messages[sent..<due])
                    group.addTask {
                        await producer.send(batch).reduce(0) { failures, result in
                            if case .failure = result { return failures + 1 }
                            return failures
                        }
                    }
                    sent = due
                }
                try await Task.sleep(for: .milliseconds(1))
            }
            return try await group.reduce(0, +)
        }
    }

    private func waitForNotifications(
        _ count: Int, kafka: KafkaConfiguration, notifier: ManagedProcess, timeout: Duration
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            try runner.checkInterrupted()
            guard notifier.isRunning else {
                throw CommandFailure(
                    part: notifier.name, message: "exited: \(notifier.termination)", log: notifier.log.path)
            }
            let marks = try await runner.watermarks([TopicRegistry.notification], kafka: kafka)
            if (marks.records[TopicRegistry.notification] ?? 0) >= Int64(count) { return }
            guard ContinuousClock.now < deadline else {
                throw CommandFailure(
                    part: "latency", message: "\(count) notifications did not arrive in \(timeout)",
                    log: notifier.log.path)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// The latency of every referral but the warm-up one, in milliseconds.
    private func measure(kafka: KafkaConfiguration, skipping warmUp: KafkaProducerMessage) async throws -> [Double] {
        var reader = TopicReader(kafka: kafka)
        reader.timeout = .seconds(300)
        let records = try await reader.readAll([TopicRegistry.referral, TopicRegistry.notification])
        let decoder = EventDecoder()
        var published: [String: Int64] = [:]
        var notified: [String: Int64] = [:]
        var warmUpId: String?
        for record in records {
            guard let time = record.timestampMilliseconds, let event = try? decoder.decode(record.value) else {
                continue
            }
            switch event.payload {
            case .referralCreated(let referral):
                published[referral.referralId] = time
                if record.value == warmUp.value { warmUpId = referral.referralId }
            case .notificationRequested(let notification) where notification.kind == .referralReceived:
                notified[notification.referralId] = min(notified[notification.referralId] ?? .max, time)
            default:
                break
            }
        }
        return published.compactMap { id, sent in
            guard id != warmUpId, let received = notified[id] else { return nil }
            return Double(received - sent)
        }
    }
}
