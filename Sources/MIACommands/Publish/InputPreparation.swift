import MIAContracts
import MIAKafka

/// Validates and prepares every record of an input on all cores, keeping the input order.
///
/// Records are prepared in chunks, one task per chunk; the results are put back together in input order, so
/// that records with the same key are published in the order the agency wrote them.
struct InputPreparation: Sendable {
    /// What every record of the input is checked and converted with.
    var preparer: InputRecordPreparer
    /// What the records are.
    var kind: InputRecordKind
    /// How many records one task prepares.
    var chunkSize = 2_000

    /// The prepared input.
    struct Outcome: Sendable {
        /// The Kafka records of the valid input records, in input order.
        var messages: [KafkaProducerMessage] = []
        /// The invalid input records, in input order.
        var rejections: [RecordRejection] = []
    }

    /// Prepares every record.
    /// - Parameters:
    ///   - records: The input records.
    ///   - progress: Told how many records are done after each chunk.
    func prepare(_ records: [InputRecord], progress: (Int) -> Void) async -> Outcome {
        let chunkStarts = Array(stride(from: 0, to: records.count, by: chunkSize))
        return await withTaskGroup(of: (Int, Outcome).self) { group in
            for (index, start) in chunkStarts.enumerated() {
                let chunk = records[start..<min(start + chunkSize, records.count)]
                group.addTask { (index, prepare(chunk)) }
            }
            var chunks = [Outcome?](repeating: nil, count: chunkStarts.count)
            var done = 0
            for await (index, outcome) in group {
                chunks[index] = outcome
                done += outcome.messages.count + outcome.rejections.count
                progress(done)
            }
            var all = Outcome()
            all.messages.reserveCapacity(records.count)
            for index in chunks.indices {
                guard let chunk = chunks[index] else { continue }
                chunks[index] = nil  // release each chunk once copied, so that the records are not held twice
                all.messages += chunk.messages
                all.rejections += chunk.rejections
            }
            return all
        }
    }

    /// Prepares records on the calling task.
    func prepare(_ chunk: ArraySlice<InputRecord>) -> Outcome {
        var outcome = Outcome()
        outcome.messages.reserveCapacity(chunk.count)
        for record in chunk {
            switch preparer.prepare(record.bytes, kind: kind) {
            case .ready(let prepared):
                outcome.messages.append(KafkaProducerMessage(prepared))
            case .rejected(let violations):
                outcome.rejections.append(RecordRejection(position: record.lineNumber, violations: violations))
            }
        }
        return outcome
    }
}
