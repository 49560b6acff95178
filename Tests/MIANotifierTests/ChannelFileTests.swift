import Foundation
import MIAContracts
import MIANotifier
import Testing

@Suite("Channel file: per-agency channels, validated at start-up")
struct ChannelFileTests {
    let environment = ["MIA_WEBHOOK_SECRET_AF": "af-secret-0123456789abcdef"]

    @Test("A complete file: webhook for AF, e-mail for kommun, topic for the rest")
    func loads() throws {
        let secretFile = try write("fk-secret-0123456789abcdef\n")
        let routing = try NotificationRouting.load(
            file: try write(
                """
                {
                  "default": {"channel": "topic"},
                  "agencies": {
                    "AF": {"channel": "webhook", "url": "https://inbox.af.example/mia", "secretEnv": "MIA_WEBHOOK_SECRET_AF",
                           "horizonHours": 36, "timeoutSeconds": 2.5, "concurrency": 8},
                    "FK": {"channel": "webhook", "url": "http://127.0.0.1:8081/mia", "secretFile": "\(secretFile)"},
                    "kommun": {"channel": "email", "host": "localhost", "port": 2525, "from": "mia@forbund.example",
                               "to": "{contactChannel}@kommun.example", "addresses": {"k-1": "handlaggare.1@kommun.example"}}
                  }
                }
                """), environment: environment)
        let af = try #require(routing.channel(for: .af).webhook)
        #expect(af.url.absoluteString == "https://inbox.af.example/mia")
        #expect(af.secret == Array("af-secret-0123456789abcdef".utf8))
        #expect(af.horizon == .seconds(36 * 3600))
        #expect(af.timeout == .milliseconds(2500))
        #expect(af.concurrency == 8)
        #expect(routing.channel(for: .fk).webhook?.horizon == .seconds(24 * 3600), "24 hours by default")
        #expect(routing.channel(for: .fk).webhook?.concurrency == 4)
        #expect(routing.channel(for: .kommun).email?.horizon == .seconds(24 * 3600))
        #expect(
            routing.channel(for: .fk).webhook?.secret == Array("fk-secret-0123456789abcdef".utf8),
            "trailing newline dropped")
        #expect(routing.channel(for: .kommun).name == "email")
        #expect(routing.channel(for: .region) == .topic)
        #expect(!routing.description.contains("af-secret"), "secrets never printed")
    }

    @Test(
        "Unsafe or incomplete files are refused with the code and the entry named",
        arguments: [
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "http://inbox.af.example/mia", "secretEnv": "MIA_WEBHOOK_SECRET_AF"}}}"#,
                NotifierError.Code.insecureChannel, "agencies.AF"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "ftp://inbox.af.example/mia", "secretEnv": "MIA_WEBHOOK_SECRET_AF"}}}"#,
                .insecureChannel, "agencies.AF"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "https://inbox.af.example/mia", "secretEnv": "UNSET_SECRET"}}}"#,
                .secretMissing, "UNSET_SECRET"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "https://inbox.af.example/mia"}}}"#, .secretMissing,
                "agencies.AF"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "https://inbox.af.example/mia", "secretEnv": "SHORT"}}}"#,
                .secretMissing, "16 bytes"
            ),
            (#"{"agencies": {"Skatteverket": {"channel": "topic"}}}"#, .channelsInvalid, "Skatteverket"),
            (#"{"agencies": {"AF": {"channel": "pigeon"}}}"#, .channelsInvalid, "pigeon"),
            (#"{"agencies": {"AF": {"channel": "topic", "url": "https://x.example"}}}"#, .channelsInvalid, "url"),
            (#"{"agencys": {}}"#, .channelsInvalid, "agencys"),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "smtp.kommun.example", "from": "mia@forbund.example", "to": "{contactChannel}@kommun.example"}}}"#,
                .insecureChannel, "agencies.kommun"
            ),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "127.0.0.1", "from": "mia@forbund.example"}}}"#,
                .channelsInvalid, "recipient template"
            ),
            ("not json", .channelsUnreadable, "is not JSON"),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "127.0.0.1", "from": "mia@forbund.example", "to": "{contactchannel}@kommun.example"}}}"#,
                .channelsInvalid, "agencies.kommun: to: unknown placeholder {contactchannel}"
            ),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "127.0.0.1", "from": "mia@forbund.example", "to": "{handlaggare}@kommun.example"}}}"#,
                .channelsInvalid, "use {contactChannel} or {handlaggareId}"
            ),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "127.0.0.1", "from": "mia@forbund.example", "to": "{contactChannel@kommun.example"}}}"#,
                .channelsInvalid, "to: \"{contactChannel@kommun.example\" has a { without its }"
            ),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "127.0.0.1", "from": "mia@forbund.example", "to": "{contactChannel}"}}}"#,
                .channelsInvalid, "does not give an address"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "https://inbox.af.example/mia", "secretEnv": "MIA_WEBHOOK_SECRET_AF", "maxAttempts": 6}}}"#,
                .channelsInvalid,
                "agencies.AF: maxAttempts is no longer read: a notification is retried until its horizonHours"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "https://inbox.af.example/mia", "secretEnv": "MIA_WEBHOOK_SECRET_AF", "horizonHours": 0}}}"#,
                .channelsInvalid, "agencies.AF: horizonHours: 0.0 is not between 0 and 720 hours"
            ),
            (
                #"{"agencies": {"AF": {"channel": "webhook", "url": "https://inbox.af.example/mia", "secretEnv": "MIA_WEBHOOK_SECRET_AF", "concurrency": 0}}}"#,
                .channelsInvalid, "agencies.AF: concurrency must be at least 1"
            ),
            (
                #"{"agencies": {"kommun": {"channel": "email", "host": "127.0.0.1", "from": "mia@forbund.example", "to": "{contactChannel}@kommun.example", "timeoutSeconds": -1}}}"#,
                .channelsInvalid, "agencies.kommun: timeoutSeconds: -1.0 is not between 0 and 600 seconds"
            ),
        ])
    func refuses(_ text: String, _ code: NotifierError.Code, _ mentions: String) throws {
        let path = try write(text)
        let environment = self.environment.merging(["SHORT": "too-short"]) { $1 }
        #expect {
            try NotificationRouting.load(file: path, environment: environment)
        } throws: { error in
            guard let error = error as? NotifierError else { return false }
            return error.code == code && error.message.contains(mentions)
                && error.description == error.message && !error.description.contains("\(code)")
        }
    }

    @Test("The shipped example loads")
    func example() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("notifier/channels.example.json").path
        let secretFile = try write("region-secret-0123456789abcdef")
        let text = try String(contentsOfFile: example, encoding: .utf8)
            .replacingOccurrences(of: "/run/secrets/mia-webhook-region", with: secretFile)
        let routing = try NotificationRouting.load(file: try write(text), environment: environment)
        #expect(routing.channel(for: .af).name == "webhook")
        #expect(routing.channel(for: .fk) == .topic)
        #expect(
            routing.channel(for: .kommun).email?.address(contactChannel: "k-9", handlaggareId: "hl-1")
                == "k-9@kommun.example")
        #expect(routing.channel(for: .region).webhook?.secret == Array("region-secret-0123456789abcdef".utf8))
    }

    @Test("A missing file cannot be read")
    func missing() {
        #expect(throws: NotifierError.self) { try NotificationRouting.load(file: "/nonexistent/channels.json") }
    }

    private func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "mia-channels-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
