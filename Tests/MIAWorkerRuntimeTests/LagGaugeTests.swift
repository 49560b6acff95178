import MIAKafka
import MIAWorkerTestKit
import Testing

@testable import MIAWorkerRuntime

/// Lag gauges follow the partitions a member owns, so that the fleet's summed lag counts each partition once.
@Suite("Consumer lag gauges: a revoked partition's gauge leaves /metrics")
struct LagGaugeTests {
    @Test("After a revocation only the partitions still owned have a lag gauge; a reassigned one reports again")
    func revokedPartitionsDropTheirGauge() throws {
        let metrics = WorkerMetrics(worker: "probe")
        metrics.lag(topic: "mia.referral.v1", partition: 0, value: 5)
        metrics.lag(topic: "mia.referral.v1", partition: 1, value: 7)
        metrics.lag(topic: "mia.followup.v1", partition: 0, value: 11)

        metrics.removeLag(of: [TopicPartition(topic: "mia.referral.v1", partition: 1)])
        var lags = try Self.lags(metrics)
        #expect(lags == ["mia.referral.v1/0": 5, "mia.followup.v1/0": 11])

        metrics.lag(topic: "mia.referral.v1", partition: 1, value: 2)
        metrics.removeLag(of: [
            TopicPartition(topic: "mia.referral.v1", partition: 0),
            TopicPartition(topic: "mia.followup.v1", partition: 0),
        ])
        lags = try Self.lags(metrics)
        #expect(lags == ["mia.referral.v1/1": 2])
    }

    /// The `mia_consumer_lag` samples of `metrics`, by topic and partition.
    static func lags(_ metrics: WorkerMetrics) throws -> [String: Double] {
        var lags: [String: Double] = [:]
        for sample in try PrometheusText.samples(metrics.render()) where sample.name == "mia_consumer_lag" {
            lags["\(sample.labels["topic"] ?? "?")/\(sample.labels["partition"] ?? "?")"] = sample.value
        }
        return lags
    }
}
