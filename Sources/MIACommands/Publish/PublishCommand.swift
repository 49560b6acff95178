import ArgumentParser
import Dispatch
import Foundation
import Logging
import MIAContracts
import MIAKafka

/// `mia publish`: validate agency input records, pseudonymise them and publish them as CloudEvents.
struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Validate agency records, pseudonymise personnummer and publish the records as CloudEvents.",
        discussion: """
            Reads NDJSON (one JSON object a line) or a JSON array from FILE, or from standard input when FILE \
            is - or left out. Every record is checked against the contract, wrapped in a CloudEvent and \
            published on its kind's topic with the registry's key.

            KINDS
            \(kindTable)

            THE INPUT FORM
            A record is the event's data object (see schemas/ and schemas/asyncapi.yaml), with three \
            differences.

            Participant-scoped kinds (referral, followup, outcome, reschedule-request, withdraw-request) may \
            give "personnummer" (YYYYMMDD-NNNC, YYMMDD-NNNC or a samordningsnummer) instead of \
            "participantRef". It is checked (date, check digit) and replaced by the participant reference, a \
            keyed HMAC with the key from MIA_PSEUDONYM_KEY (64+ hex digits or 32+ bytes of text) or from the \
            file named by MIA_PSEUDONYM_KEY_FILE; it is never published, logged or echoed in an error. For a \
            referral, legalGender, birthYear and birthMonth are derived from it and must be left out.

            "eventId" (optional) sets the CloudEvents id; by default the id is derived from the record's own \
            id, so publishing a file again gives the same events. "source" (optional) sets the CloudEvents \
            source; by default --source.

            A referral (one line in the file, wrapped here):
            \(exampleReferral)

            VALIDATION
            The whole input is checked before anything is published, and an input with any invalid record \
            publishes nothing. --skip-invalid publishes the valid records and reports the rest; --dry-run only \
            checks, and needs neither a broker nor a pseudonym key. Errors name the line (or element, for a \
            JSON array) and the field, never a value:
              line 7: field plannedEnd: must not be before plannedStart
            The first \(RejectionReport.standardListedRecords) rejected records are listed (every one with \
            --dry-run, or as many as --max-errors says), then a count per rule. The summary goes to standard output:
              published 2480, rejected 20 (referral.ndjson)
            Inputs of 10,000 records or more report progress on standard error.

            EXIT STATUS
              0   every record published (with --dry-run: valid)
              1   records rejected (also with --skip-invalid), or unreadable JSON
              64  usage or configuration: no such file, no pseudonym key, no bootstrap
              69  Kafka did not take the records: unreachable, topic missing, refused

            EXAMPLES
              export MIA_PSEUDONYM_KEY_FILE=/etc/mia/pseudonym.key
              export MIA_KAFKA_BOOTSTRAP=kafka-1:9092
              mia publish referral --dry-run referral.ndjson
              mia publish referral referral.ndjson
              mia publish followup --skip-invalid followup.ndjson
              agency-export | mia publish outcome -
            """)

    /// The exit status when Kafka did not take the records (`EX_UNAVAILABLE`).
    static let kafkaUnavailable = ExitCode(69)

    @OptionGroup var kafka: KafkaOptions

    @Argument(
        help: ArgumentHelp(
            "The kind of record: \(InputRecordKind.allCases.map(\.rawValue).joined(separator: ", ")).",
            valueName: "kind"),
        completion: .list(InputRecordKind.allCases.map(\.rawValue)),
        transform: { text in
            guard let kind = InputRecordKind(rawValue: text) else {
                let kinds = InputRecordKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("use one of \(kinds)")
            }
            return kind
        })
    var kind: InputRecordKind

    @Argument(help: ArgumentHelp("NDJSON or JSON array; - or none for standard input.", valueName: "file"))
    var file: String?

    @Flag(help: "Only validate; publish nothing.")
    var dryRun = false

    @Flag(help: "Publish the valid records even when others are invalid.")
    var skipInvalid = false

    @Option(
        help: ArgumentHelp(
            "The day personnummer are read on, for the century of YYMMDD-NNNC (default: today).",
            valueName: "YYYY-MM-DD"),
        transform: { text in
            guard let date = CalendarDate(text) else { throw ValidationError("--reference-date must be YYYY-MM-DD") }
            return date
        })
    var referenceDate: CalendarDate?

    @Option(help: "The CloudEvents source of records that name none.")
    var source = InputRecordPreparer.standardSource

    @Option(
        help: ArgumentHelp(
            "How many rejected records to list in full (default \(RejectionReport.standardListedRecords); all of them with --dry-run).",
            valueName: "n"))
    var maxErrors: Int?

    func validate() throws {
        guard !source.isEmpty else { throw ValidationError("--source must not be empty") }
        if let maxErrors, maxErrors < 0 { throw ValidationError("--max-errors must not be negative") }
    }

    func run() async throws {
        let logger = CommandLogging.logger("mia.publish")
        let preparer = InputRecordPreparer(
            pseudonymizer: try makePseudonymizer(),
            referenceDate: referenceDate ?? .todayInStockholm(),
            defaultSource: source)
        // Checked before the input is read, so that a missing setting is reported before a long validation;
        // nil on a dry run, which needs no broker.
        let kafkaConfiguration = try dryRun ? nil : kafka.configuration(clientId: "mia-publish")
        if let kafkaConfiguration {
            try await requireTopic(kind.eventType.topic, configuration: kafkaConfiguration, logger: logger)
        }
        let input = try PublishInput.open(file)
        let stream = PreparationStream(input: input, preparation: InputPreparation(preparer: preparer, kind: kind))
        var rejections = RejectionReport(
            positionLabel: "line",
            listedRecords: maxErrors ?? (dryRun ? Int.max : RejectionReport.standardListedRecords))
        var validated = PublishProgress(stage: "validated")

        guard let kafkaConfiguration else {
            let summary = try await prepare(stream, progress: &validated, report: &rejections) { _ in }
            StandardOutput.write(
                "valid \(summary.prepared), rejected \(summary.rejected) (\(input.name); dry run, nothing published)\n")
            if summary.rejected > 0 { throw ExitCode.failure }
            return
        }
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(kafka: kafkaConfiguration), logger: logger)
        } catch {
            throw ValidationError(error.message)
        }
        let outcome: RecordPublisher.Outcome
        let summary: PreparationStream.Summary
        if skipInvalid {
            // Valid records are published as they are prepared: reading, preparing and publishing overlap.
            var published = PublishProgress(stage: "published")
            let publisher = RecordPublisher(producer: producer) { published.update(done: $0) }
            summary = try await prepare(stream, progress: &validated, report: &rejections) {
                await publisher.publish($0)
            }
            outcome = await publisher.finish()
        } else {
            // Nothing is published from an input with an invalid record: the prepared records wait on disk
            // until the whole input is known to be valid, and memory stays flat.
            let spool = try RecordSpool()
            summary = try await prepare(stream, progress: &validated, report: &rejections) { try spool.write($0) }
            guard summary.rejected == 0 else {
                await producer.close()
                StandardError.write(
                    "nothing published: \(summary.rejected) of \(summary.rejected + summary.prepared) records are "
                        + "invalid; correct them, or publish the \(summary.prepared) valid ones with --skip-invalid\n")
                StandardOutput.write("published 0, rejected \(summary.rejected) (\(input.name))\n")
                throw ExitCode.failure
            }
            var published = PublishProgress(stage: "published", total: spool.count)
            let publisher = RecordPublisher(producer: producer) { published.update(done: $0) }
            try await spool.read(
                batchSize: 5_000, topic: kind.eventType.topic, headers: [KafkaProducerMessage.cloudEventContentType]
            ) { await publisher.publish($0) }
            outcome = await publisher.finish()
            published.finish()
        }
        await producer.close()
        try report(outcome, of: summary.prepared, rejected: summary.rejected, inputName: input.name)
    }

    /// Reads, splits and prepares the input, handing the prepared records to `sink`, and prints the report of
    /// rejected records on standard error.
    /// - Throws: `ExitCode.failure` when the input is not NDJSON or a JSON array.
    private func prepare(
        _ stream: PreparationStream, progress: inout PublishProgress, report: inout RejectionReport,
        sink: ([KafkaProducerMessage]) async throws -> Void
    ) async throws -> PreparationStream.Summary {
        let summary: PreparationStream.Summary
        do {
            summary = try await stream.run(progress: &progress, onRejections: { report.add($0) }, onPrepared: sink)
        } catch let violation as ContractViolation {
            StandardError.write("error: \(stream.input.name): \(violation.message)\n")
            throw ExitCode.failure
        }
        progress.finish()
        report.positionLabel = summary.positionLabel
        StandardError.write(report.text)
        return summary
    }

    /// Prints the records per topic and the summary, and says what went wrong, if anything.
    /// - Throws: ``kafkaUnavailable`` when records were not delivered, `ExitCode.failure` when some were
    ///   rejected.
    private func report(_ outcome: RecordPublisher.Outcome, of total: Int, rejected: Int, inputName: String) throws {
        var summary = ""
        for (topic, count) in outcome.deliveredByTopic.sorted(by: { $0.key < $1.key }) {
            summary += "topic \(topic): \(count) records\n"
        }
        let notDelivered = outcome.failed + outcome.unsent
        summary += "published \(outcome.delivered), rejected \(rejected)"
        summary += notDelivered > 0 ? ", not delivered \(notDelivered)" : ""
        StandardOutput.write(summary + " (\(inputName))\n")
        if let failure = outcome.firstFailure {
            let unsent = outcome.unsent > 0 ? ", and \(outcome.unsent) were not sent" : ""
            StandardError.write(
                "error: delivery failed for \(outcome.failed) of \(total) records\(unsent) "
                    + "(first failure: \(failure)). Publishing the input again is safe: its records get the same "
                    + "event ids.\n")
            throw Self.kafkaUnavailable
        }
        if rejected > 0 { throw ExitCode.failure }
    }

    /// The pseudonymizer from the environment. A dry run without a key uses a throwaway key: it publishes no
    /// participant reference, so any key checks the records just as well.
    /// - Throws: `ValidationError` saying how to set the key.
    private func makePseudonymizer() throws -> Pseudonymizer {
        do {
            return try Pseudonymizer.fromEnvironment()
        } catch  where error.code == .keyMissing && dryRun {
            let throwawayKey = (0..<Pseudonymizer.minimumKeyBytes).map { _ in UInt8.random(in: .min ... .max) }
            return try Pseudonymizer(key: throwawayKey)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Fails unless the topic exists. A record for a missing topic would otherwise create it with the
    /// broker's default partition count (4 on the development broker), breaking co-partitioning.
    /// - Throws: ``kafkaUnavailable`` after saying what is wrong.
    private func requireTopic(_ topic: String, configuration: KafkaConfiguration, logger: Logger) async throws {
        let topics: [String: Int]
        do {
            let admin = try KafkaAdmin(configuration: configuration, logger: logger)
            // Metadata requests block; keep them off the cooperative thread pool.
            topics = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(with: Result { try admin.listTopics() }) }
            }
        } catch {
            StandardError.write("error: cannot reach Kafka at \(configuration.bootstrapServers): \(error)\n")
            throw Self.kafkaUnavailable
        }
        guard topics[topic] != nil else {
            StandardError.write(
                "error: topic \(topic) does not exist at \(configuration.bootstrapServers); "
                    + "create the registry's topics with `mia topics create`\n")
            throw Self.kafkaUnavailable
        }
    }
}

extension PublishCommand {
    /// One line per kind for the help: name, topic and key.
    private static var kindTable: String {
        InputRecordKind.allCases.map { kind in
            let topic = kind.eventType.topic
            let key = TopicRegistry.default.topic(named: topic)?.key.name ?? "-"
            return "  " + kind.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)
                + topic.padding(toLength: 18, withPad: " ", startingAt: 0) + "key " + key
        }.joined(separator: "\n")
    }

    /// A valid referral in the input form, with Skatteverket's well-known test personnummer, wrapped to fit
    /// the help.
    private static let exampleReferral = """
          {"referralId":"af-2018-0042","personnummer":"19121212-1212",
           "delprojekt":"OstraSodertorn","resursrad":"rr-os-1",
           "insatsType":"caseManagement","agencyCaseRef":"AF-2018-118",
           "handlaggare":{"agency":"AF","id":"af-h-17","contactChannel":"af-c-3"},
           "consentGiven":true,"decisionDate":"2018-03-01",
           "plannedStart":"2018-03-12","plannedEnd":"2018-06-29",
           "employmentStatus":"unemployed","educationLevel":"isced3_4"}
        """
}
