import Foundation
import MIAWorkerTestKit
import Testing

@Suite("mia simulate --faults, then mia publish --dry-run")
struct SimulatePublishTests {
    struct Fault: Decodable { let file: String; let line: Int; let fault: String }

    @Test("Every faulty line the simulation injected is reported with its line number and a field")
    func dryRunReportsEveryFault() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-sim-\(UUID().uuidString)")
        let simulate = try await runToCompletion(
            "mia", ["simulate", "--participants", "400", "--faults", "--out", directory.path])
        #expect(simulate.status == 0, "\(simulate.stderr)")
        let faults = try JSONDecoder().decode(
            [Fault].self, from: Data(contentsOf: directory.appendingPathComponent("faults.json")))
        #expect(faults.count > 20)
        for kind in ["asf-capacity", "calendar-busy", "referral", "followup", "outcome"] {
            let file = "\(kind).ndjson"
            let output = try await runToCompletion(
                "mia", ["publish", kind, directory.appendingPathComponent(file).path, "--dry-run"])
            let expected = faults.filter { $0.file == file }
            #expect(output.status == (expected.isEmpty ? 0 : 1), "\(kind): \(output.stderr.suffix(500))")
            let reported = output.stderr.split(separator: "\n").filter { $0.hasPrefix("line ") }
            let lines = Set(reported.compactMap { Int($0.dropFirst(5).prefix { $0.isNumber }) })
            #expect(lines == Set(expected.map(\.line)), "\(kind): the reported lines are exactly the faulty ones")
            // A line that is not JSON at all has no field to name.
            for line in reported where !line.contains(": field ") && !line.contains("not a JSON object") {
                Issue.record("\(kind): no field named in \(line)")
            }
            #expect(output.stdout.contains("rejected \(expected.count)"), "\(kind): \(output.stdout)")
        }
    }
}
