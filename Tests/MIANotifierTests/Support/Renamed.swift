import MIAContracts
import MIAWorkerRuntime

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
