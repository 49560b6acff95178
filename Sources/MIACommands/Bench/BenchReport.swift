import Foundation

/// The result of one `mia bench`: the machine, the settings, and one row per figure; printed as a table and
/// written as `results.json`.
struct BenchReport: Codable, Sendable {
    /// One figure next to its raw-librdkafka counterpart and its target.
    struct Row: Codable, Sendable, Hashable {
        /// A stable id, for example `consume.notifier` or `latency.p99`.
        var id: String
        /// What was measured, as printed.
        var label: String
        /// `msg/s`, `events/s`, `ms` or `MB`.
        var unit: String
        /// MIAFlow's figure; `nil` when it was not measured.
        var value: Double?
        /// The same work done by `kcat` (raw librdkafka), when there is a counterpart.
        var raw: Double?
        /// The same backlog handled by the Python peer worker (``PeerWorker``) on the same broker, when it ran.
        var peer: Double?
        /// The target, as printed: `>= 25 % of kcat`.
        var target: String
        /// Whether the target was met; `nil` when the row has no target or no figure.
        var met: Bool?
        /// Why there is no figure (`not available: ...`, `failed: ...`), or `nil`.
        var problem: String?
        /// Further figures behind this one (times, counts), for `results.json`.
        var details: [String: Double] = [:]

        /// `value / raw`, when both are there.
        var ratio: Double? {
            guard let value, let raw, raw > 0 else { return nil }
            return value / raw
        }

        /// `value / peer`, when both are there.
        var peerRatio: Double? {
            guard let value, let peer, peer > 0 else { return nil }
            return value / peer
        }

        /// `ok`, `MISS`, `-` (no target) or the problem.
        var status: String {
            if let problem { return problem }
            switch met {
            case true?: return "ok"
            case false?: return "MISS"
            case nil: return "-"
            }
        }
    }

    /// The machine.
    var machine: MachineFacts
    /// Settings that shape the figures (volumes, partitions, fetch.wait.max.ms of the latency run).
    var settings: [String: String]
    /// The figures, in table order.
    var rows: [Row] = []
    /// Remarks printed under the table (what each figure includes, dropped-record checks).
    var notes: [String] = []
    /// Wall-clock seconds of the whole run.
    var elapsedSeconds: Double = 0

    /// The table as printed by `mia bench`.
    var table: String {
        let header = ["measurement", "mia", "kcat (raw)", "ratio", "python peer", "× peer", "target", "result"]
        let lines = rows.map { row in
            [
                row.label, Self.format(row.value, row.unit), Self.format(row.raw, row.unit),
                row.ratio.map { String(format: "%.1f %%", $0 * 100) } ?? "-", Self.format(row.peer, row.unit),
                row.peerRatio.map { String(format: "%.2f", $0) } ?? "-", row.target, row.status,
            ]
        }
        let widths = header.indices.map { column in
            ([header] + lines).map { $0[column].count }.max() ?? 0
        }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        let settingsLine = settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        var text = "MIAFlow benchmark: \(machine.summary)\n"
        text += "settings: \(settingsLine)\n\n"
        text += render(header) + "\n"
        text += render(widths.map { String(repeating: "-", count: $0) }) + "\n"
        text += lines.map(render).joined(separator: "\n") + "\n"
        if !notes.isEmpty { text += "\n" + notes.map { "- \($0)" }.joined(separator: "\n") + "\n" }
        text += String(format: "\ntotal time %.0f s\n", elapsedSeconds)
        return text
    }

    /// Writes `results.json` to a directory.
    func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: directory.appendingPathComponent("results.json"))
    }

    /// A count with thousands separators: `200,000`.
    static func grouped(_ count: Int) -> String {
        let digits = String(count.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index).isMultiple(of: 3) { text += "," }
            text.append(digit)
        }
        return (count < 0 ? "-" : "") + text
    }

    /// A figure with its unit, thousands separated: `12,345 msg/s`, `4.2 ms`.
    static func format(_ value: Double?, _ unit: String) -> String {
        guard let value else { return "-" }
        if value >= 100 || unit.hasSuffix("/s") { return "\(grouped(Int(value.rounded()))) \(unit)" }
        return String(format: "%.1f", value) + " " + unit
    }
}
