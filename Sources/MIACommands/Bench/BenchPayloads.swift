import Foundation
import MIAContracts
import MIAKafka

/// Turns agency input files into final payloads, which `kcat -P` then puts on each worker's broker: the main
/// sets through `mia publish` (validation, pseudonymisation, CloudEvents) and back from the topic, the replay set
/// through the same preparation in this process.
struct BenchPayloads {
    /// The runner whose processes and directories are used.
    let runner: BenchRunner

    /// Publishes a record set's input file with `mia publish`.
    /// - Returns: The wall-clock time from start to exit, and the records it reported published.
    func publish(_ dataset: BenchDataset, kafka: KafkaConfiguration) async throws -> (
        elapsed: Duration, published: Int, peakBytes: Int64?
    ) {
        let input = BenchInput.file(dataset, in: runner.dataDirectory)
        let run = try await runner.runToEnd(
            "publish-\(dataset.name)", runner.executable("mia"),
            ["publish", dataset.kind.rawValue, input.path, "--bootstrap", kafka.bootstrapServers],
            timeout: .seconds(1800))
        guard let count = DemoRun.publishCount(run.process.output), count.rejected == 0 else {
            throw CommandFailure(
                part: "mia publish \(dataset.name)", message: "rejected records or no summary",
                log: run.process.log.path)
        }
        return (run.elapsed, count.published, run.peakBytes)
    }

    /// Reads each set's topic back into its payload file. Each set must be the only one on its topic.
    /// - Throws: ``CommandFailure`` when the broker dropped records or a topic holds another count than expected.
    func capture(_ expected: [BenchDataset: Int], kafka: KafkaConfiguration) async throws {
        let marks = try await runner.watermarks(expected.keys.map(\.topic), kafka: kafka)
        guard marks.dropped.isEmpty else {
            throw CommandFailure(
                part: "publishing the bench's records",
                message: "the development broker dropped records: \(marks.dropped.prefix(3).joined(separator: "; "))"
                    + "; raise --partitions")
        }
        for (dataset, count) in expected.sorted(by: { $0.key.name < $1.key.name }) {
            guard marks.records[dataset.topic] == Int64(count) else {
                throw CommandFailure(
                    part: "publishing \(dataset.name)",
                    message: "\(dataset.topic) holds \(marks.records[dataset.topic] ?? 0) records, not \(count)")
            }
            var reader = TopicReader(kafka: kafka)
            reader.timeout = .seconds(900)
            let records = try await reader.readAll([dataset.topic])
            try runner.writePayloads(records.map { ($0.key, $0.value) }, to: dataset)
        }
    }

    /// Prepares record sets in this process exactly as `mia publish` prepares them (the same validation,
    /// pseudonymisation and CloudEvents, on all cores) and writes their payload files, without the round trip
    /// through a broker. For the replay set, whose preparation is not what is measured: a million records through
    /// `mia publish` and back would take longer than the rest of the benchmark.
    func prepareInProcess(_ datasets: [BenchDataset: Int]) async throws {
        let preparer = InputRecordPreparer(
            pseudonymizer: try Pseudonymizer(keyText: runner.pseudonymKey),
            referenceDate: .todayInStockholm())
        for dataset in datasets.keys.sorted(by: { $0.name < $1.name }) {
            let contents = try Data(contentsOf: BenchInput.file(dataset, in: runner.dataDirectory))
            let records = try InputRecordReader.records(from: contents)
            let outcome = await InputPreparation(preparer: preparer, kind: dataset.kind).prepare(records) { _ in }
            guard outcome.rejections.isEmpty else {
                throw CommandFailure(
                    part: "preparing \(dataset.name)", message: "\(outcome.rejections.count) records were rejected")
            }
            try runner.writePayloads(outcome.messages.map { ($0.key, $0.value) }, to: dataset)
        }
    }
}
