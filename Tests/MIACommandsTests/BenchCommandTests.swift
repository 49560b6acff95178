import Foundation
import MIAWorkerTestKit
import Testing

@testable import MIACommands

/// `mia bench` at a tiny volume, so that the benchmark's code path does not rot. Benchmarks are not tests: no
/// figure is compared with anything, only that every row was produced.
@Suite("mia bench: the benchmark's code path at a tiny volume")
struct BenchCommandTests {
    @Test("mia bench --scale 0.005 prints the table and writes results.json with every row")
    func tinyBench() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-bench-\(UUID().uuidString)")
        let output = directory.appendingPathComponent("output")
        // The team's Python peer worker, where this checkout sits beside it (../shared/bench).
        let peer = URL(fileURLWithPath: PeerWorker.defaultPath).standardizedFileURL
        let peerPresent = FileManager.default.fileExists(atPath: peer.path)
        let bench = try ChildProcess(
            "mia",
            [
                "bench", "--scale", "0.005", "--output", output.path, "--data",
                directory.appendingPathComponent("data").path, "--peer", peer.path,
            ])
        let status = try await bench.waitForExit(timeout: .seconds(600))
        #expect(status == 0, "\(bench.stdout.suffix(3000))\n\(bench.stderr.suffix(3000))")

        let report = try JSONDecoder().decode(
            BenchReport.self, from: Data(contentsOf: output.appendingPathComponent("results.json")))
        let workers = BenchWorker.all()
        var expected = ["publish.referral", "memory.publish", "latency.p50", "latency.p99", "latency.max"]
        for worker in workers {
            expected += ["\(worker.measurement.rawValue).\(worker.name)", "memory.\(worker.name)"]
        }
        #expect(Set(report.rows.map(\.id)) == Set(expected))
        #expect(report.rows.count == expected.count)
        #expect(report.machine.cores > 0)
        // The workers are built like this test bundle (make test builds in release mode).
        #if DEBUG
            #expect(report.machine.buildMode == "debug")
        #else
            #expect(report.machine.buildMode == "release")
        #endif

        // Every row has a figure, or says the worker is a placeholder; the workers built now have figures.
        let placeholders = Set(["mia-booker", "mia-stats"])
        for row in report.rows {
            let placeholder = placeholders.contains { row.label.contains($0) }
            if placeholder && row.problem?.hasPrefix("not available") == true { continue }
            #expect(row.value != nil && row.problem == nil, "\(row.id): \(row.status)")
        }
        for id in ["publish.referral", "consume.notifier", "consume.capacity"] {
            let row = report.rows.first { $0.id == id }
            #expect(row?.raw != nil && row?.ratio != nil, "\(id) has a kcat figure next to it")
        }

        // Beside each worker over the referrals, the peer's figure; or a note says why it did not run.
        if peerPresent {
            for id in ["consume.notifier", "consume.capacity", "consume.booker"] {
                let row = report.rows.first { $0.id == id }
                #expect(row?.peer != nil && row?.peerRatio != nil, "\(id) has the peer's figure next to it")
            }
        } else {
            #expect(report.notes.contains { $0.hasPrefix("python peer: not run: no peer worker at") })
        }

        // The printed table has the header and every row.
        let stdout = bench.stdout
        #expect(stdout.contains("MIAFlow benchmark:"))
        #expect(stdout.contains("librdkafka"))
        #expect(stdout.contains("python peer"))
        for row in report.rows {
            #expect(stdout.contains(row.label), "the table lacks \(row.label)")
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
