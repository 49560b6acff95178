import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

@Suite("mia publish as a separate process")
struct PublishCommandTests {
    static let pseudonymKey = "mia-publish-tests: a pseudonym key of more than 32 bytes"
    static let referenceDate = CalendarDate(year: 2019, month: 1, day: 1)!
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Synthetic participants: made-up numbers with a valid check digit, never real ones.
    static let participants = [
        TestPersonnummer(year: 1985, month: 3, day: 14, birthNumber: 231),
        TestPersonnummer(year: 1992, month: 11, day: 2, birthNumber: 468),
        TestPersonnummer(year: 1970, month: 6, day: 30, birthNumber: 115),
        TestPersonnummer(year: 1961, month: 1, day: 9, birthNumber: 882),
        TestPersonnummer(year: 2000, month: 2, day: 29, birthNumber: 347),
        TestPersonnummer(year: 1978, month: 8, day: 21, birthNumber: 506),
    ]

    /// A valid referral in the agencies' input form, with changes applied (`nil` removes a field).
    static func referral(_ id: String, personnummer: String, _ changes: [String: Any?] = [:]) -> [String: Any] {
        var record: [String: Any] = [
            "referralId": id, "personnummer": personnummer, "delprojekt": "VarNa", "resursrad": "rr-vn-2",
            "insatsType": "supportedEmployment",
            "handlaggare": ["agency": "FK", "id": "fk-h-9", "contactChannel": "fk-c-4"],
            "agencyCaseRef": "FK-\(id)", "consentGiven": true, "decisionDate": "2018-09-03",
            "plannedStart": "2018-09-17", "plannedEnd": "2019-03-15", "employmentStatus": "longTermUnemployed",
            "educationLevel": "isced3_4",
        ]
        for (key, value) in changes { record[key] = value }
        return record
    }

    static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Six valid referrals, one per participant, in varying forms of the number, with four broken ones
    /// and a blank line among them. The comments give the line numbers.
    static func mixedReferralFile() throws -> (url: URL, validParticipants: [TestPersonnummer]) {
        let people = participants
        let lines = [
            try json(referral("r-1", personnummer: people[0].twelveWithSeparator)),  // 1
            try json(referral("r-2", personnummer: people[1].twelveDigits)),  // 2
            try json(referral("r-x3", personnummer: people[2].withWrongCheckDigit)),  // 3: checksum
            try json(referral("r-3", personnummer: people[2].tenWithSeparator)),  // 4
            try json(referral("r-x5", personnummer: people[3].twelveDigits, ["consentGiven": false])),  // 5
            "{\"referralId\": \"r-x6\", \"personnummer\": \"\(people[3].twelveDigits)\"",  // 6: not JSON
            try json(referral("r-4", personnummer: people[3].tenDigits)),  // 7
            try json(
                referral(
                    "r-x8", personnummer: people[4].tenDigits,
                    ["plannedEnd": "2018-09-01", "favouriteColour": "blue"])),  // 8: dates, unknown field
            "",  // 9: blank, skipped
            try json(referral("r-5", personnummer: people[4].twelveWithSeparator)),  // 10
            try json(referral("r-6", personnummer: people[5].twelveDigits)),  // 11
        ]
        return (try write(lines.joined(separator: "\n") + "\n", name: "referral.ndjson"), people)
    }

    static func write(_ text: String, name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mia-publish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// A development broker with every registry topic.
    static func clusterWithTopics() throws -> MockKafkaCluster {
        let cluster = try MockKafkaCluster(logger: logger)
        for spec in TopicRegistry.default.topics { try cluster.createTopic(spec.name, partitions: spec.partitions) }
        return cluster
    }

    /// The number of records on a topic, from its watermarks; also checks that nothing was dropped.
    static func recordCount(_ topic: String, in cluster: MockKafkaCluster) throws -> Int {
        let admin = try KafkaAdmin(
            configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers), logger: logger)
        let spec = try #require(TopicRegistry.default.topic(named: topic))
        var total = 0
        for partition in 0..<spec.partitions {
            let marks = try admin.watermarks(topic: topic, partition: Int32(partition))
            #expect(marks.low == 0)
            total += Int(marks.high)
        }
        return total
    }

    /// Runs `mia publish` with the pseudonym key set.
    static func publish(_ arguments: [String], environment: [String: String] = [:]) async throws -> ChildProcess {
        let child = try ChildProcess(
            "mia", ["publish"] + arguments + ["--reference-date", referenceDate.description],
            environment: ["MIA_PSEUDONYM_KEY": pseudonymKey].merging(environment) { $1 })
        _ = try await child.waitForExit()
        return child
    }

    static func expectNoPersonnummer(in texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for person in participants {
            for form in person.allForms + [person.withWrongCheckDigit] {
                for text in texts {
                    #expect(!text.contains(form), "a personnummer leaked", sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test(
        "invalid records stop the input; --skip-invalid publishes the valid ones, keyed by pseudonym, no personnummer")
    func invalidRecordsAndSkipInvalid() async throws {
        let cluster = try Self.clusterWithTopics()
        let (file, people) = try Self.mixedReferralFile()
        let topic = TopicRegistry.referral

        let refused = try await Self.publish(["referral", file.path, "--bootstrap", cluster.bootstrapServers])
        #expect(refused.process.terminationStatus == 1)
        let findings = refused.stderr
        for expected in [
            "line 3: field personnummer: ", "line 5: field consentGiven: ", "line 6: the record is not a JSON object",
            "line 8: field plannedEnd: ", "line 8: field favouriteColour: ", "nothing published: 4 of 10 records",
        ] {
            #expect(findings.contains(expected), "\(expected)\n\(findings)")
        }
        #expect(findings.contains("invalid checksum"))
        #expect(refused.stdout == "published 0, rejected 4 (\(file.path))\n")
        #expect(try Self.recordCount(topic, in: cluster) == 0)

        let published = try await Self.publish([
            "referral", file.path, "--skip-invalid", "--bootstrap", cluster.bootstrapServers,
        ])
        #expect(published.process.terminationStatus == 1, "rejections make the exit status non-zero")
        #expect(published.stdout == "topic \(topic): 6 records\npublished 6, rejected 4 (\(file.path))\n")
        #expect(published.stderr.contains("line 3: field personnummer: "))
        #expect(try Self.recordCount(topic, in: cluster) == 6)

        let keys = try await runToCompletion(
            "kcat", ["-C", "-b", cluster.bootstrapServers, "-t", topic, "-e", "-q", "-f", "%k\n"])
        #expect(keys.status == 0)
        let pseudonymizer = try Pseudonymizer(keyText: Self.pseudonymKey)
        let expectedKeys = try people.map {
            pseudonymizer.participantRef(for: try Personnummer($0.twelveDigits, referenceDate: Self.referenceDate))
        }
        #expect(keys.stdout.split(separator: "\n").map(String.init).sorted() == expectedKeys.sorted())

        let everything = try await runToCompletion(
            "kcat", ["-C", "-b", cluster.bootstrapServers, "-t", topic, "-e", "-q", "-f", "%k %h %s\n"])
        #expect(everything.stdout.split(separator: "\n").count == 6)
        #expect(everything.stdout.contains("content-type=application/cloudevents+json"))
        #expect(everything.stdout.contains("\"type\":\"se.mia.referral.created\""))
        Self.expectNoPersonnummer(in: [
            everything.stdout, refused.stdout, refused.stderr, published.stdout, published.stderr,
        ])
        #expect(!everything.stdout.contains("personnummer"))
    }

    @Test("--dry-run reports each bad line with its field and needs no broker and no pseudonym key")
    func dryRun() async throws {
        let (file, _) = try Self.mixedReferralFile()
        let noKafkaNoKey = ["MIA_KAFKA_BOOTSTRAP": "", "MIA_PSEUDONYM_KEY": "", "MIA_PSEUDONYM_KEY_FILE": ""]

        let faulty = try await Self.publish(["referral", "--dry-run", file.path], environment: noKafkaNoKey)
        #expect(faulty.process.terminationStatus == 1)
        #expect(faulty.stdout == "valid 6, rejected 4 (\(file.path); dry run, nothing published)\n")
        let reported = Set(
            faulty.stderr.split(separator: "\n").filter { $0.hasPrefix("line ") }.map { $0.split(separator: ":")[0] })
        #expect(reported == ["line 3", "line 5", "line 6", "line 8"], "\(faulty.stderr)")
        #expect(faulty.stderr.contains("line 5: field consentGiven: "))
        #expect(faulty.stderr.contains("rejected records by rule: "))

        let valid = try Self.write(
            try Self.participants.enumerated().map {
                try Self.json(Self.referral("r-\($0.offset)", personnummer: $0.element.tenWithSeparator))
            }.joined(separator: "\n"),
            name: "valid.ndjson")
        let clean = try await Self.publish(["referral", "--dry-run", valid.path], environment: noKafkaNoKey)
        #expect(clean.process.terminationStatus == 0, "\(clean.stderr)")
        #expect(clean.stdout == "valid 6, rejected 0 (\(valid.path); dry run, nothing published)\n")
        #expect(clean.stderr.isEmpty)
        Self.expectNoPersonnummer(in: [faulty.stdout, faulty.stderr, clean.stdout, clean.stderr])
    }

    @Test("a large input reports progress; --max-errors lists that many rejected records, the rest as counts")
    func largeInput() async throws {
        let count = 10_000
        let file = try Self.write(
            String(repeating: "{\"referralId\": \"r\"}\n", count: count), name: "incomplete.ndjson")
        let checked = try await Self.publish(["referral", "--dry-run", "--max-errors", "50", file.path])
        #expect(checked.process.terminationStatus == 1)
        #expect(checked.stdout == "valid 0, rejected \(count) (\(file.path); dry run, nothing published)\n")
        let lines = checked.stderr.split(separator: "\n")
        // The input is read as it is prepared: progress names the share of the input read.
        #expect(
            lines.contains("validated \(count) records (100 % of the input)"), "\(checked.stderr.prefix(500))")
        #expect(lines.contains { $0.hasPrefix("validated \(count) records in ") })
        #expect(lines.filter { $0.hasPrefix("line ") }.count == 50)
        #expect(lines.contains("… and \(count - 50) more rejected records"))
        #expect(lines.contains("rejected records by rule: missingField \(count)"))
    }

    @Test("a JSON array on standard input is published; its errors name the element")
    func jsonArray() async throws {
        let cluster = try Self.clusterWithTopics()
        let people = Array(Self.participants.prefix(3))
        let records = people.enumerated().map { Self.referral("a-\($0.offset)", personnummer: $0.element.twelveDigits) }
        let array = try Self.write(try Self.json(records), name: "referrals.json")

        let mia = ChildProcess.productsDirectory.appendingPathComponent("mia").path
        let piped = try ChildProcess(
            "/bin/sh",
            [
                "-c", "exec \"$0\" publish referral - --bootstrap \"$1\" < \"$2\"",
                mia, cluster.bootstrapServers, array.path,
            ],
            environment: ["MIA_PSEUDONYM_KEY": Self.pseudonymKey])
        #expect(try await piped.waitForExit() == 0, "\(piped.stderr)")
        #expect(piped.stdout.hasSuffix("published 3, rejected 0 (stdin)\n"))
        #expect(try Self.recordCount(TopicRegistry.referral, in: cluster) == 3)

        let broken = try Self.write(
            try Self.json([
                records[0], Self.referral("a-x", personnummer: people[1].twelveDigits, ["delprojekt": "Atlantis"]),
            ]),
            name: "broken.json")
        let checked = try await Self.publish(["referral", "--dry-run", broken.path])
        #expect(checked.process.terminationStatus == 1)
        #expect(checked.stderr.contains("element 2: field delprojekt: "), "\(checked.stderr)")
        #expect(checked.stdout == "valid 1, rejected 1 (\(broken.path); dry run, nothing published)\n")

        let notJSON = try Self.write("[{\"referralId\": ", name: "truncated.json")
        let unreadable = try await Self.publish(["referral", "--dry-run", notJSON.path])
        #expect(unreadable.process.terminationStatus == 1)
        #expect(unreadable.stderr.contains("not a valid JSON array"))
    }

    @Test("no pseudonym key, no file, a missing topic and a refused delivery each fail with a clear message")
    func configurationAndKafkaFailures() async throws {
        let (file, _) = try Self.mixedReferralFile()
        let noKey = try await Self.publish(
            ["referral", file.path, "--bootstrap", "127.0.0.1:9"],
            environment: ["MIA_PSEUDONYM_KEY": "", "MIA_PSEUDONYM_KEY_FILE": ""])
        #expect(noKey.process.terminationStatus == 64)
        #expect(noKey.stderr.contains("MIA_PSEUDONYM_KEY"), "\(noKey.stderr)")
        #expect(noKey.stderr.contains("MIA_PSEUDONYM_KEY_FILE"))

        let noFile = try await Self.publish(["referral", "--dry-run", "/nonexistent/referral.ndjson"])
        #expect(noFile.process.terminationStatus == 64)
        #expect(noFile.stderr.contains("cannot read /nonexistent/referral.ndjson"), "\(noFile.stderr)")

        let valid = try Self.write(
            try Self.json(Self.referral("r-1", personnummer: Self.participants[0].twelveDigits)), name: "one.ndjson")
        let empty = try MockKafkaCluster(logger: Self.logger)
        let noTopic = try await Self.publish(["referral", valid.path, "--bootstrap", empty.bootstrapServers])
        #expect(noTopic.process.terminationStatus == 69)
        #expect(noTopic.stderr.contains("topic mia.referral.v1 does not exist"), "\(noTopic.stderr)")

        // librdkafka refuses records above message.max.bytes (at least 1000) before sending them.
        let cluster = try Self.clusterWithTopics()
        let large = try Self.write(
            try Self.json(
                Self.referral(
                    "r-1", personnummer: Self.participants[0].twelveDigits,
                    ["agencyCaseRef": String(repeating: "x", count: 2_000)])),
            name: "large.ndjson")
        let refused = try await Self.publish(
            ["referral", large.path, "--bootstrap", cluster.bootstrapServers],
            environment: ["MIA_KAFKA_MESSAGE_MAX_BYTES": "1000"])
        #expect(refused.process.terminationStatus == 69)
        #expect(refused.stdout.hasSuffix("published 0, rejected 0, not delivered 1 (\(large.path))\n"))
        #expect(refused.stderr.contains("delivery failed for 1 of 1 records"), "\(refused.stderr)")
    }
}
