import Foundation
import MIAStats
import MIAWorkerTestKit
import Testing

@Suite("The HTML report")
struct ReportTests {
    /// One report for both tests, computed once.
    static let shared = Task {
        let store = try await StatsStore()
        try await store.apply(SimulatedProgramme.events(participants: 500, seed: 4))
        return StatisticsReport.html(try await store.table().nonZeroCells)
    }

    static func html() async throws -> String { try await shared.value }

    @Test("Self-contained: three SVG charts, reference lines, no scripts or external resources")
    func selfContained() async throws {
        let html = try await Self.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg ").count - 1 == 3)
        #expect(html.contains("stroke-dasharray"), "reference lines")
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        for delprojekt in ["HBS", "Stockholm", "Sodertalje", "SodraRoslagen", "VarNa", "OstraSodertorn"] {
            #expect(html.contains(delprojekt))
        }
    }

    @Test("Renders in headless Chromium to a non-empty screenshot")
    func chromium() async throws {
        guard
            let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else {
            print("SKIPPED: Chromium is not installed (scripts/ensure-deps.sh test installs Debian's chromium)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let page = directory.appendingPathComponent("report.html")
        let screenshot = directory.appendingPathComponent("report.png")
        try Data(try await Self.html().utf8).write(to: page)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--user-data-dir=\(directory.appendingPathComponent("profile").path)",
            "--window-size=1000,1600", "--screenshot=\(screenshot.path)", page.absoluteString,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { process.terminate() }
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        // A blank page compresses to a few kilobytes; charts and text do not.
        #expect(png.count > 20_000, "screenshot of \(png.count) bytes")
    }
}
