import Foundation
import Logging
import MIAContracts
import MIAKafka
import MIAWorkerTestKit
import Testing

/// `mia-notifier`, `mia` and a webhook receiver written in Python (its own HMAC check) as separate processes on the
/// development broker: what an agency's integrator and an operator see.
@Suite("mia dlq for the notifier: an undelivered notification is redelivered through its webhook, once", .serialized)
struct NotifierDeliveryReplayTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let secret = "notifier-replay-secret-0123456789"

    /// A webhook receiver: checks `X-MIA-Signature` over `<X-MIA-Timestamp>.<body>` with the shared secret and the
    /// timestamp against its clock, answers the status in `<dir>/status` (401 to a bad signature), logs each request
    /// as a JSON line in `<dir>/requests.ndjson`, and prints its port.
    static let receiver = #"""
        import hashlib, hmac, json, os, sys, threading, time
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
        secret = os.environ["MIA_TEST_WEBHOOK_SECRET"].encode()
        folder = sys.argv[1]
        lock = threading.Lock()
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                stamp = self.headers.get("X-MIA-Timestamp", "")
                expected = "v1=" + hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                valid = any(hmac.compare_digest(expected, s.strip()) for s in self.headers.get("X-MIA-Signature", "").split(","))
                valid = valid and stamp.isdigit() and abs(time.time() - int(stamp)) <= 300
                with open(os.path.join(folder, "status")) as f:
                    status = int(f.read().strip()) if valid else 401
                entry = {"id": self.headers.get("X-MIA-Notification-Id"), "status": status, "valid": valid,
                         "attempt": self.headers.get("X-MIA-Delivery-Attempt"),
                         "notifications": [n["notificationId"] for n in json.loads(body)["notifications"]]}
                with lock, open(os.path.join(folder, "requests.ndjson"), "a") as f:
                    f.write(json.dumps(entry) + "\n")
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            def log_message(self, *args):
                pass
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    struct Request: Decodable {
        var id: String
        var status: Int
        var valid: Bool
        var attempt: String?
        var notifications: [String]
    }

    @Test("A webhook refused with 410 is dead-lettered; after the fix one replay delivers it once, under its id")
    func replayRedelivers() async throws {
        let broker = try WorkerProcessTests.Broker(logger: logger)
        let bootstrap = ["--bootstrap", broker.cluster.bootstrapServers]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mia-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let statusFile = folder.appendingPathComponent("status")
        try Data("410".utf8).write(to: statusFile)
        func requests() -> [Request] {
            let text =
                (try? String(contentsOf: folder.appendingPathComponent("requests.ndjson"), encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap {
                try? JSONDecoder().decode(Request.self, from: Data($0.utf8))
            }
        }

        let receiver = try ChildProcess(
            "python3", ["-c", Self.receiver, folder.path], environment: ["MIA_TEST_WEBHOOK_SECRET": Self.secret])
        defer { receiver.process.terminate() }
        try await receiver.waitUntil("the receiver to listen") { !$0.stdoutLines.isEmpty }
        let receiverPort = try #require(receiver.stdoutLines.first.flatMap { Int($0) })
        let channels = folder.appendingPathComponent("channels.json")
        try Data(
            """
            {"agencies": {"FK": {"channel": "webhook", "url": "http://127.0.0.1:\(receiverPort)/mia",
                                 "secretEnv": "MIA_WEBHOOK_SECRET_FK", "timeoutSeconds": 5}}}
            """.utf8
        ).write(to: channels)

        let database = WorkerProcessTests.temporaryDatabase()
        let port = freeLoopbackPort()
        let notifier = try ChildProcess(
            "mia-notifier",
            bootstrap + [
                "--database", database, "--session-timeout-ms", "6000", "--http-port", String(port), "--channels",
                channels.path, "--log-format", "text",
            ],
            environment: ["MIA_WEBHOOK_SECRET_FK": Self.secret])
        try await broker.produce([WorkerProcessTests.referral(7)])
        try await waitUntil("the refused notification to be dead-lettered", [notifier], timeout: .seconds(90)) {
            (try? Self.count(broker, TopicRegistry.deadLetter(worker: "notifier"))) == 1
        }
        let refused = requests()
        #expect(refused.map(\.status) == [410] && refused.allSatisfy(\.valid), "one attempt: 410 is permanent")
        let notificationId = try #require(refused.first?.id)

        // The metrics of the executable: the dead letter counts where the shipped alert looks.
        var metrics = ""
        try await waitUntil("the dead letter on /metrics", [notifier]) {
            metrics = await WorkerProcessTests.metrics(port: port) ?? ""
            return (try? Self.value(metrics, "mia_messages_dead_lettered_total", ["class": "delivery"])) == 1
        }
        #expect(
            try Self.value(metrics, "mia_notifier_deliveries_total", ["outcome": "dead_lettered", "agency": "FK"]) == 1)
        #expect(try Self.value(metrics, "mia_notifier_delivery_failures_total", ["reason": "http_4xx"]) == 1)

        // mia dlq list names the input the notification was made from, and the class.
        let list = try await runToCompletion("mia", ["dlq", "list", "--worker", "notifier"] + bootstrap)
        #expect(list.status == 0, "\(list.stderr)")
        let line = try #require(list.stdout.split(separator: "\n").first { $0.contains("delivery") }, "\(list.stdout)")
        #expect(line.contains("mia.referral.v1/"), "the original position: \(line)")
        #expect(!line.contains("/?/?"), "\(line)")
        #expect(line.contains("webhook delivery refused: http 410"), "\(line)")

        // The fix, then the replay: through the webhook, not onto mia.notification.v1.
        try Data("200".utf8).write(to: statusFile)
        let replay = try await runToCompletion(
            "mia", ["dlq", "replay", "--worker", "notifier", "--database", database, "--wait", "60"] + bootstrap,
            timeout: .seconds(90))
        #expect(replay.status == 0, "\(replay.stdout)\n\(replay.stderr)")
        #expect(replay.stdout.contains("queued \(notificationId) pending (webhook FK"), "\(replay.stdout)")
        #expect(
            replay.stdout.contains("delivered \(notificationId) delivered (webhook FK, 2 attempt(s), http 200)"),
            "\(replay.stdout)")
        #expect(replay.stdout.contains("replayed 1, 0 already replayed"), "\(replay.stdout)")

        let again = try await runToCompletion(
            "mia", ["dlq", "replay", "--worker", "notifier", "--database", database] + bootstrap)
        #expect(again.stdout.contains("replayed 0, 1 already replayed"), "\(again.stdout)")
        try await waitUntil("the delivery on /metrics", [notifier]) {
            let text = await WorkerProcessTests.metrics(port: port) ?? ""
            return (try? Self.value(text, "mia_notifier_deliveries_total", ["outcome": "delivered"])) == 1
        }
        #expect(try await notifier.stop() == 0)
        receiver.process.terminate()

        let received = requests()
        #expect(received.filter { $0.status == 200 }.map(\.id) == [notificationId], "exactly once, under its id")
        #expect(received.count == 2 && received.allSatisfy(\.valid))
        #expect(received.last?.attempt == "2" && received.last?.notifications == [notificationId])
        #expect(try Self.count(broker, TopicRegistry.notification) == 1, "nothing republished to the topic")
        #expect(try Self.count(broker, TopicRegistry.referral) == 1)
        #expect(
            try Self.count(broker, TopicRegistry.deadLetter(worker: "notifier")) == 2, "the letter and its marker")
    }

    @Test("mia notifier flush with nothing held says so; replay without the notifier's store refuses")
    func flushAndMissingStore() async throws {
        let database = WorkerProcessTests.temporaryDatabase()
        let missing = try await runToCompletion("mia", ["notifier", "flush", "--database", database])
        #expect(missing.status != 0 && missing.stderr.contains("no notifier store at \(database)"), "\(missing.stderr)")
        let help = try await runToCompletion("mia", ["notifier", "flush", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--dry-run") && help.stdout.contains("--wait"))
    }

    private static func count(_ broker: WorkerProcessTests.Broker, _ topic: String) throws -> Int64 {
        let admin = try KafkaAdmin(configuration: broker.kafka, logger: broker.logger)
        return try (0..<6).reduce(0) { sum, partition in
            let marks = try admin.watermarks(topic: topic, partition: Int32(partition))
            return sum + marks.high - marks.low
        }
    }

    private static func value(_ text: String, _ name: String, _ labels: [String: String]) throws -> Double {
        try PrometheusText.value(of: name, labels: labels.merging(["worker": "notifier"]) { $1 }, in: text)
    }
}
