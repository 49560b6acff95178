import Foundation
import MIAKafka

/// Publish: `mia publish` of the bench's referrals (validation, pseudonymisation, CloudEvents) next to `kcat -P`
/// of the same final payloads, each into an empty broker of the same shape. Both are timed from process start to
/// exit, so both include connecting and the final flush; `mia publish` also includes reading and validating its
/// input.
struct PublishBenchmark {
    /// The runner whose processes and directories are used.
    let runner: BenchRunner
    /// The referrals in the input file.
    let referrals: Int
    /// The other main record sets the workers need, with their counts; published untimed on the same broker.
    let otherSets: [BenchDataset: Int]

    /// The target: `mia publish` at least a fifth as fast as `kcat -P` (about 100,000 records a second here).
    static let targetRatio = 0.2
    /// The target of `mia publish`'s peak RSS, in MB: it streams, so its memory does not grow with its input.
    static let targetPeakMB = 150.0

    /// The rows without figures: the rate, and the peak RSS.
    var plannedRows: [BenchReport.Row] {
        [
            BenchReport.Row(
                id: "publish.referral", label: "publish \(BenchReport.grouped(referrals)) referrals", unit: "msg/s",
                target: ">= \(Int(Self.targetRatio * 100)) % of kcat -P"),
            BenchReport.Row(
                id: "memory.publish", label: "peak RSS mia publish (\(BenchReport.grouped(referrals)) referrals)",
                unit: "MB", target: "< \(Int(Self.targetPeakMB)) MB, any input size"),
        ]
    }

    /// Runs both publishes and leaves the payload files of the referrals and `otherSets` behind.
    func run() async throws -> [BenchReport.Row] {
        var row = plannedRows[0]
        var memory = plannedRows[1]
        let payloads = BenchPayloads(runner: runner)

        let broker = try await runner.startBroker("publish-broker")
        let mia = try await payloads.publish(.referrals, kafka: broker.kafka)
        guard mia.published == referrals else {
            throw CommandFailure(part: "mia publish", message: "published \(mia.published) of \(referrals)")
        }
        for dataset in otherSets.keys.sorted(by: { $0.name < $1.name }) {
            _ = try await payloads.publish(dataset, kafka: broker.kafka)
        }
        try await payloads.capture(otherSets.merging([.referrals: referrals]) { $1 }, kafka: broker.kafka)
        await runner.stop(broker.process)

        let kcatBroker = try await runner.startBroker("kcat-publish-broker")
        let kcatElapsed = try await runner.load(.referrals, kafka: kcatBroker.kafka, name: "kcat-publish-referral")
        let marks = try await runner.watermarks([BenchDataset.referrals.topic], kafka: kcatBroker.kafka)
        await runner.stop(kcatBroker.process)
        guard marks.dropped.isEmpty, marks.records[BenchDataset.referrals.topic] == Int64(referrals) else {
            row.problem = "failed: kcat -P left \(marks.records.values.reduce(0, +)) records, dropped \(marks.dropped)"
            return [row, memory]
        }

        row.value = Double(referrals) / mia.elapsed.seconds
        row.raw = Double(referrals) / kcatElapsed.seconds
        row.met = row.ratio.map { $0 >= Self.targetRatio }
        row.details = ["miaSeconds": mia.elapsed.seconds, "kcatSeconds": kcatElapsed.seconds]
        memory.value = mia.peakBytes.map { Double($0) / 1_000_000 }
        memory.met = memory.value.map { $0 < Self.targetPeakMB }
        return [row, memory]
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
