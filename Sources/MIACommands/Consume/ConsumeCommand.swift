import ArgumentParser
import Foundation
import MIAKafka

/// `mia consume`: read topics as a consumer-group member and print the records.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Read topics in a consumer group and print each record (NDJSON by default).",
        discussion: """
            Offsets are committed after every printed batch, so a second run with the same --group \
            continues where the first stopped, and several runs with the same --group split the partitions \
            between them. Assignments and revocations are reported on standard error. Stops on SIGINT or \
            SIGTERM (committing what was printed), after --max records, or after --idle-exit seconds without one.

            Example: mia consume --topic mia.notification.v1 --group inspect --idle-exit 5
            """)

    @OptionGroup var kafka: KafkaOptions

    @Option(name: .customLong("topic"), help: "A topic to read (repeat for several).")
    var topics: [String]

    @Option(help: "The consumer group (default: a new group per run, reading from the start).")
    var group: String?

    @Option(help: "Output format: json (one object per line) or text.")
    var format: OutputFormat = .json

    @Option(help: "Stop after this many records.")
    var max: Int?

    @Option(help: ArgumentHelp("Stop after this many seconds without a record.", valueName: "seconds"))
    var idleExit: Double?

    @Option(
        help: ArgumentHelp(
            "Consumer session timeout; lower it on the development broker for faster rebalances.", valueName: "ms"))
    var sessionTimeout: Int = 10_000

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, text
    }

    func validate() throws {
        guard !topics.isEmpty else { throw ValidationError("name at least one --topic") }
    }

    func run() async throws {
        let logger = CommandLogging.logger("mia.consume")
        var configuration = KafkaConsumerConfiguration(
            kafka: try kafka.configuration(clientId: "mia-consume"),
            groupId: group ?? "mia-consume-\(UUID().uuidString.lowercased())",
            topics: topics)
        configuration.sessionTimeout = .milliseconds(sessionTimeout)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)

        let shutdown = ShutdownSignal.install()
        let events = Task {
            for await event in consumer.events {
                switch event {
                case .assigned(let partitions):
                    StandardError.write("assigned: \(partitions.map(\.description).joined(separator: " "))\n")
                case .revoked(let partitions):
                    StandardError.write("revoked: \(partitions.map(\.description).joined(separator: " "))\n")
                case .statistics: break
                }
            }
        }
        var printed = 0
        var lastRecord = ContinuousClock.now
        while !shutdown.isTriggered {
            if let max, printed >= max { break }
            if let idleExit, ContinuousClock.now - lastRecord > .seconds(idleExit) { break }
            var batch = try await consumer.poll(maxMessages: 500, timeout: .milliseconds(200))
            if let max { batch = Array(batch.prefix(max - printed)) }
            guard !batch.isEmpty else { continue }
            lastRecord = .now
            let lines = batch.map {
                format == .json ? ConsumedRecordFormatter.json($0) : ConsumedRecordFormatter.text($0)
            }
            StandardOutput.write(lines.joined(separator: "\n") + "\n")
            // Printed: now the records count as processed. Commit at once rather than on the background
            // timer, so that a rebalance (when the development broker refuses commits) repeats nothing.
            try consumer.storeOffsets(batch)
            try await consumer.commit()
            printed += batch.count
        }
        await consumer.close()
        events.cancel()
        StandardError.write("consumed \(printed) records\n")
    }
}
