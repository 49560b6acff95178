import Foundation
import MIAContracts
import MIAKafka

/// Reads an input block by block, splits it into records and prepares them on every core, handing the prepared
/// records on in input order: reading, preparing and what the caller does with them (spool or publish) overlap,
/// and only a few blocks are in memory at a time, whatever the input's size.
struct PreparationStream {
    /// The input.
    let input: PublishInput
    /// What every record is checked and converted with.
    let preparation: InputPreparation

    /// What the whole input gave.
    struct Summary {
        /// Records prepared.
        var prepared = 0
        /// Records rejected.
        var rejected = 0
        /// `line` or `element`, as the input turned out to be.
        var positionLabel = "line"
    }

    /// Runs the stream.
    /// - Parameters:
    ///   - onRejections: Told the rejected records of each block, in input order.
    ///   - onPrepared: Given the Kafka records of each block, in input order.
    /// - Throws: `ExitCode.failure`-worthy ``ContractViolation`` when a JSON array is malformed; what the
    ///   callbacks throw; a read error.
    func run(
        progress: inout PublishProgress, onRejections: ([RecordRejection]) -> Void,
        onPrepared: ([KafkaProducerMessage]) async throws -> Void
    ) async throws -> Summary {
        var splitter = InputRecordSplitter()
        var summary = Summary()
        var bytesRead = 0
        // Blocks being prepared, oldest first: up to one per core, plus one to keep every core busy.
        var inFlight: [Task<InputPreparation.Outcome, Never>] = []
        let window = ProcessInfo.processInfo.activeProcessorCount + 1
        func settle(_ outcome: InputPreparation.Outcome) async throws {
            summary.prepared += outcome.messages.count
            summary.rejected += outcome.rejections.count
            if !outcome.rejections.isEmpty { onRejections(outcome.rejections) }
            if !outcome.messages.isEmpty { try await onPrepared(outcome.messages) }
            progress.update(
                done: summary.prepared + summary.rejected,
                share: input.size.map { Double(bytesRead) / Double(max($0, 1)) })
        }
        var ended = false
        while !ended {
            let records: [InputRecord]
            if let block = try await input.nextBlock() {
                bytesRead += block.count
                records = try splitter.feed(block)
            } else {
                records = try splitter.finish()
                ended = true
            }
            if splitter.isJSONArray { summary.positionLabel = "element" }
            guard !records.isEmpty else { continue }
            let preparation = self.preparation
            inFlight.append(Task { preparation.prepare(records[...]) })
            if inFlight.count >= window { try await settle(await inFlight.removeFirst().value) }
        }
        for task in inFlight { try await settle(await task.value) }
        return summary
    }
}
