import ArgumentParser
import Foundation
import MIAContracts
import MIAKafka
import MIANotifier

/// `mia dlq`: the dead-letter runbook: see what a worker set aside and why, and replay it after a fix.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List, show and replay a worker's dead letters (mia.dlq.<worker>).",
        discussion: """
            A worker dead-letters a record it cannot decode, validate or apply: the original bytes go to \
            mia.dlq.<worker> untouched, with the reason in headers (mia-error-class, mia-error-reason, \
            mia-original-topic/-partition/-offset). The worker goes on.

            Runbook:
              mia dlq list --worker booker                      # what, when, why; replayed or not
              mia dlq show --worker booker 3/17                 # one letter: headers and the record
              ... fix the cause (a configuration, a declaration, a new version of the worker) ...
              mia dlq replay --worker booker --reason unknownAsf --dry-run
              mia dlq replay --worker booker --reason unknownAsf

            A replay republishes each matching letter to its original topic with its original key, value and \
            headers plus mia-replay-of; the worker handles it again even though it dead-lettered the same event \
            before. Every replayed letter gets a marker in the dead-letter topic, so replaying again does \
            nothing more. A letter that still fails is dead-lettered again, as a new letter.

            A notification mia-notifier could not deliver (class delivery; original: the input record it was \
            made from) is not republished: the replay puts its delivery back in the notifier's queue, in the \
            store named by --database, and the running worker delivers it through its channel once, under the \
            same notification id, with a new horizon. --wait prints how each delivery ended.
              mia dlq replay --worker notifier --database postgres://…?schema=notifier --wait 60
            """,
        subcommands: [List.self, Show.self, Replay.self])

    /// The options every `mia dlq` subcommand shares.
    struct Target: ParsableArguments {
        @OptionGroup var kafka: KafkaOptions

        @Option(help: ArgumentHelp("The worker: notifier, booker, capacity or stats.", valueName: "name"))
        var worker: String

        var topic: String { TopicRegistry.deadLetter(worker: worker) }

        func validate() throws {
            guard TopicRegistry.workers.contains(worker) else {
                throw ValidationError(
                    "unknown worker \(worker); one of \(TopicRegistry.workers.joined(separator: ", "))")
            }
        }

        func ledger() async throws -> DeadLetterLedger {
            DeadLetterLedger(
                try await TopicReader(kafka: try kafka.configuration(clientId: "mia-dlq")).readAll([topic]))
        }
    }

    /// `--since` and `--reason`.
    struct Filters: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "Only letters dead-lettered at or after this time: YYYY-MM-DD (UTC) or ISO 8601.", valueName: "time"))
        var since: String?

        @Option(help: ArgumentHelp("Only letters whose class or reason contains this text.", valueName: "text"))
        var reason: String?

        var sinceDate: Date? {
            get throws {
                guard let since else { return nil }
                if let date = ISO8601DateFormatter().date(from: since) { return date }
                let day = DateFormatter()
                day.dateFormat = "yyyy-MM-dd"
                day.timeZone = TimeZone(identifier: "UTC")
                day.locale = Locale(identifier: "en_US_POSIX")
                guard let date = day.date(from: since) else {
                    throw ValidationError("--since must be YYYY-MM-DD or an ISO 8601 time")
                }
                return date
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per dead letter: position, time, original record, class, reason, replayed.")

        @OptionGroup var target: Target
        @OptionGroup var filters: Filters

        func run() async throws {
            let ledger = try await target.ledger()
            let letters = ledger.matching(since: try filters.sinceDate, reason: filters.reason)
            let formatter = ISO8601DateFormatter()
            print("position  dead-lettered         original                       class       replayed  reason")
            for letter in letters {
                let original = letter.originalPosition
                let columns = [
                    letter.position.padding(toLength: 8, withPad: " ", startingAt: 0),
                    (letter.date.map(formatter.string(from:)) ?? "-").padding(
                        toLength: 20, withPad: " ", startingAt: 0),
                    original.padding(toLength: 30, withPad: " ", startingAt: 0),
                    letter.errorClass.padding(toLength: 10, withPad: " ", startingAt: 0),
                    (ledger.replayed.contains(letter.position) ? "yes" : "no").padding(
                        toLength: 8, withPad: " ", startingAt: 0),
                    String(letter.reason.prefix(120)),
                ]
                print(columns.joined(separator: "  "))
            }
            let replayed = letters.filter { ledger.replayed.contains($0.position) }.count
            print("\(letters.count) dead letters in \(target.topic) (\(replayed) replayed)")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One dead letter: its headers and the record.")

        @OptionGroup var target: Target

        @Argument(help: ArgumentHelp("The letter's position in the dead-letter topic.", valueName: "partition/offset"))
        var position: String

        func run() async throws {
            let ledger = try await target.ledger()
            guard let letter = ledger.letters.first(where: { $0.position == position }) else {
                throw ValidationError("no dead letter at \(position) in \(target.topic); see mia dlq list")
            }
            print("position        \(target.topic)/\(letter.position)")
            print("dead-lettered   \(letter.date.map { ISO8601DateFormatter().string(from: $0) } ?? "-")")
            print("original        \(letter.originalPosition)")
            if let delivery = letter.deliveryId {
                print("delivery        \(delivery) (\(letter.deliveryRoute ?? "-")): mia dlq replay redelivers it")
            }
            print("class           \(letter.errorClass)")
            print("reason          \(letter.reason)")
            print("replayed        \(ledger.replayed.contains(letter.position) ? "yes" : "no")")
            print("key             \(letter.key.map { String(decoding: $0, as: UTF8.self) } ?? "-")")
            for header in letter.originalHeaders {
                print("header          \(header.name): \(header.stringValue ?? "<binary>")")
            }
            print("record (\(letter.value.count) bytes):")
            print(Self.readable(letter.value))
        }

        /// Pretty JSON when the bytes are JSON, else the text as it is (or a note for binary data).
        static func readable(_ bytes: [UInt8]) -> String {
            if let object = try? JSONSerialization.jsonObject(with: Data(bytes)),
                let pretty = try? JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            {
                return String(decoding: pretty, as: UTF8.self)
            }
            return String(validating: bytes, as: UTF8.self) ?? "<\(bytes.count) bytes of binary data>"
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay dead letters after a fix, once each: republish records, redeliver notifications.")

        @OptionGroup var target: Target
        @OptionGroup var filters: Filters
        @OptionGroup var notifierStore: NotifierStoreOptions

        @Flag(help: "Only list what would be replayed.")
        var dryRun = false

        @Option(
            help: ArgumentHelp(
                "Seconds to wait for redelivered notifications to be delivered (default 0: do not wait).",
                valueName: "seconds"))
        var wait: Int = 0

        func run() async throws {
            let ledger = try await target.ledger()
            let matching = ledger.matching(since: try filters.sinceDate, reason: filters.reason)
            let pending = matching.filter { !ledger.replayed.contains($0.position) }
            let deliveries = pending.filter { $0.deliveryId != nil }
            let records = pending.filter { $0.deliveryId == nil }
            for letter in pending {
                let what =
                    letter.deliveryId.map {
                        "redeliver \(letter.position) through \(letter.deliveryRoute ?? "its channel") (delivery \($0))"
                    }
                    ?? "replay \(letter.position) to \(letter.originalTopic)"
                print("\(dryRun ? "would " : "")\(what): \(letter.reason.prefix(100))")
            }
            let skipped = matching.count - pending.count
            guard !dryRun else {
                print("\(pending.count) to replay, \(skipped) already replayed")
                return
            }
            guard !pending.isEmpty else {
                print("replayed 0, \(skipped) already replayed")
                return
            }
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(kafka: try target.kafka.configuration(clientId: "mia-dlq")),
                logger: CommandLogging.logger("mia.dlq"))
            var replayed = 0
            var failure: (any Error)?
            do {
                replayed += try await redeliver(deliveries, producer: producer)
            } catch {
                failure = error
            }
            for letter in records {
                // The record first, then its marker: a crash between the two replays the letter again next time,
                // which the worker's inbox then treats as a duplicate.
                _ = try await producer.send(ledger.replay(letter, deadLetterTopic: target.topic))
                _ = try await producer.send(ledger.marker(for: letter, deadLetterTopic: target.topic))
                replayed += 1
            }
            await producer.close()
            print("replayed \(replayed), \(skipped) already replayed")
            if let failure { throw failure }
        }

        /// Puts the deliveries of undelivered notifications back in the notifier's queue, once per delivery (a
        /// digest's letters share one), and marks their letters replayed. A delivery the store does not know is
        /// left unmarked.
        /// - Returns: The letters replayed.
        private func redeliver(_ letters: [DeadLetterRecord], producer: KafkaProducer) async throws -> Int {
            guard !letters.isEmpty else { return 0 }
            var order: [String] = []
            var byDelivery: [String: [DeadLetterRecord]] = [:]
            for letter in letters {
                guard let id = letter.deliveryId else { continue }
                if byDelivery[id] == nil { order.append(id) }
                byDelivery[id, default: []].append(letter)
            }
            let topic = target.topic
            let wait = wait
            let location = notifierStore.location
            return try await notifierStore.withQueue { queue in
                var replayed = 0
                var queued: [String] = []
                var unknown: [String] = []
                for id in order {
                    let letters = byDelivery[id] ?? []
                    // The store first, then the markers: a crash between the two finds the delivery no longer dead
                    // next time, which queues nothing more.
                    let redelivery = try await queue.redeliver(id)
                    switch redelivery.outcome {
                    case .queued:
                        queued.append(id)
                        print(
                            "queued \(redelivery.delivery.map(String.init(describing:)) ?? id) for redelivery by mia-notifier"
                        )
                    case .alreadyDelivered:
                        print("delivery \(id) was delivered already; nothing to send")
                    case .alreadyQueued:
                        print("delivery \(id) is queued already (\(redelivery.delivery?.status ?? "-"))")
                    default:
                        unknown.append(id)
                        print("delivery \(id) is not in the notifier store \(location); not replayed")
                        continue
                    }
                    for letter in letters {
                        _ = try await producer.send(
                            DeadLetterLedger.marker(for: letter, deadLetterTopic: topic))
                        replayed += 1
                    }
                }
                print("redelivered \(queued.count) delivery(ies) through their channels")
                if wait > 0, !queued.isEmpty {
                    for delivery in try await DeliveryWaiting.wait(for: queued, in: queue, seconds: wait) {
                        print(
                            delivery.status == "delivered" ? "delivered \(delivery)" : "not delivered yet: \(delivery)")
                    }
                }
                if !unknown.isEmpty {
                    throw CommandFailure(
                        part: "mia dlq replay",
                        message:
                            "\(unknown.count) delivery(ies) not in the notifier store \(location); pass mia-notifier's --database"
                    )
                }
                return replayed
            }
        }
    }
}
