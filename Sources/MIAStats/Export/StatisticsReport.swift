import Foundation
import MIAContracts

/// A self-contained HTML report of the statistics (inline SVG, no scripts, no external resources): participants
/// over time per delprojekt, outcome shares against MIA's reference results, and the gender breakdown.
///
/// Built from published cells only, so it shows exactly what disclosure control let through; a suppressed
/// value is a gap in a line, an empty bar and `•` in a table.
public enum StatisticsReport {
    /// The report of a set of current cells.
    /// - Parameter title: The page title.
    public static func html(_ cells: [StatisticsCell], title: String = "MIA – ESF statistics") -> String {
        let index = Index(cells)
        var body = "<h1>\(escape(title))</h1>\n"
        let threshold = cells.first?.threshold ?? 5
        body += """
            <p>Counts of participations (one per referral and insats). Counts from 1 to \(threshold - 1) are \
            suppressed (•), and further cells are suppressed where a suppressed count could otherwise be \
            recovered from totals. Shares are of the participations that ended.</p>\n
            """
        body += "<h2>Participants active at month end, per delprojekt</h2>\n" + activeChart(index)
        body += "<h2>Outcomes on leaving, whole programme, against MIA's reference results</h2>\n"
        body += outcomeChart(index)
        body += "<h2>Participants started, by legal gender, whole programme</h2>\n" + genderChart(index)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 980px; }
            svg { background: #fafafa; border: 1px solid #ddd; }
            .legend span { display: inline-block; margin-right: 1em; }
            .legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: right; }
            </style></head>
            <body>
            \(body)</body></html>

            """
    }

    static let colours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#333333"]

    /// Cells by key, for lookups.
    struct Index {
        var cells: [String: StatisticsCell] = [:]
        var months: [String] = []

        init(_ list: [StatisticsCell]) {
            for cell in list { cells[cell.partitionKey] = cell }
            months = Set(list.filter { $0.periodType == .month }.map(\.period)).sorted()
        }

        func cell(_ period: String, _ delprojekt: String, _ gender: StatisticsGender, _ indicator: String)
            -> StatisticsCell?
        {
            cells["\(period)/\(delprojekt)/\(gender.rawValue)/\(StatisticsCell.allInsatser)/\(indicator)"]
        }

        /// A result's share of the ended (total gender, all insatser); zero when the cell is missing (a zero) and
        /// the ended were published.
        func share(_ period: String, _ delprojekt: String, _ indicator: String) -> Double? {
            if let cell = cell(period, delprojekt, .total, indicator) { return cell.share }
            guard let ended = cell(period, delprojekt, .total, "ended")?.value, ended > 0 else { return nil }
            return 0
        }
    }

    private static func activeChart(_ index: Index) -> String {
        let months = index.months
        guard !months.isEmpty else { return "<p>No monthly figures yet.</p>\n" }
        let series = StatisticsGrid.delprojekt.map { delprojekt in
            // A missing key is a zero; a suppressed cell is a gap.
            months.map { month -> Int? in index.cell(month, delprojekt, .total, "activeAtEnd").map(\.value) ?? 0 }
        }
        let maximum = max(1, series.flatMap { $0.compactMap { $0 } }.max() ?? 1)
        let (width, height, left, bottom) = (900.0, 320.0, 50.0, 30.0)
        let x = { (i: Int) in left + (width - left - 10) * Double(i) / Double(max(1, months.count - 1)) }
        let y = { (v: Int) in height - bottom - (height - bottom - 10) * Double(v) / Double(maximum) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n"
        svg += axes(width: width, height: height, left: left, bottom: bottom, maximum: maximum, y: y)
        for (i, month) in months.enumerated() where month.hasSuffix("-01") {
            svg += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(height - 10))\" font-size=\"11\">\(month.prefix(4))</text>\n"
        }
        for (s, values) in series.enumerated() {
            var path = ""
            var pen = false
            for (i, value) in values.enumerated() {
                guard let value else {
                    pen = false
                    continue
                }
                path += "\(pen ? "L" : "M")\(fmt(x(i))),\(fmt(y(value))) "
                pen = true
            }
            svg +=
                "<path d=\"\(path)\" fill=\"none\" stroke=\"\(colours[s])\" stroke-width=\"\(s == 6 ? 2.5 : 1.5)\"/>\n"
        }
        svg += "</svg>\n"
        return svg + legend(StatisticsGrid.delprojekt)
    }

    private static func outcomeChart(_ index: Index) -> String {
        let indicators = [("workOrStudies", 0.20), ("ordinaryProgramme", 0.33)]
        let groups = StatisticsGrid.delprojekt
        let (width, height, left, bottom) = (900.0, 300.0, 50.0, 30.0)
        let y = { (share: Double) in height - bottom - (height - bottom - 10) * share }
        let groupWidth = (width - left - 10) / Double(groups.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n"
        svg +=
            "<line x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width))\" y2=\"\(fmt(height - bottom))\" stroke=\"#666\"/>\n"
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<text x=\"5\" y=\"\(fmt(y(tick) + 4))\" font-size=\"11\">\(Int(tick * 100)) %</text>\n"
        }
        var rows = ""
        for (g, delprojekt) in groups.enumerated() {
            let x0 = left + groupWidth * Double(g)
            svg +=
                "<text x=\"\(fmt(x0 + 4))\" y=\"\(fmt(height - 10))\" font-size=\"11\">\(escape(delprojekt))</text>\n"
            var row = "<tr><th>\(escape(delprojekt))</th>"
            for (k, (indicator, _)) in indicators.enumerated() {
                let share = index.share("all", delprojekt, indicator)
                if let share {
                    let barX = x0 + 8 + Double(k) * (groupWidth - 16) / 2
                    svg +=
                        "<rect x=\"\(fmt(barX))\" y=\"\(fmt(y(share)))\" width=\"\(fmt((groupWidth - 24) / 2))\" height=\"\(fmt(height - bottom - y(share)))\" fill=\"\(colours[k])\"/>\n"
                }
                row += "<td>\(share.map { String(format: "%.1f %%", $0 * 100) } ?? "•")</td>"
            }
            rows += row + "</tr>\n"
        }
        for (k, (_, reference)) in indicators.enumerated() {
            svg +=
                "<line x1=\"\(fmt(left))\" y1=\"\(fmt(y(reference)))\" x2=\"\(fmt(width))\" y2=\"\(fmt(y(reference)))\" stroke=\"\(colours[k])\" stroke-dasharray=\"6 4\"/>\n"
        }
        svg += "</svg>\n"
        let legend = legend(["work or studies (reference 20 %, dashed)", "ordinary programme (reference 33 %, dashed)"])
        return svg + legend
            + "<table><tr><th>delprojekt</th><th>work or studies</th><th>ordinary programme</th></tr>\n\(rows)</table>\n"
    }

    private static func genderChart(_ index: Index) -> String {
        let groups = StatisticsGrid.delprojekt
        let values = groups.map { d in
            [StatisticsGender.kvinna, .man].map { index.cell("all", d, $0, "started").map(\.value) ?? 0 }
        }
        let maximum = max(1, values.flatMap { $0.compactMap { $0 } }.max() ?? 1)
        let (width, height, left, bottom) = (900.0, 300.0, 50.0, 30.0)
        let y = { (v: Int) in height - bottom - (height - bottom - 10) * Double(v) / Double(maximum) }
        let groupWidth = (width - left - 10) / Double(groups.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\">\n"
        svg += axes(width: width, height: height, left: left, bottom: bottom, maximum: maximum, y: y)
        var rows = ""
        for (g, delprojekt) in groups.enumerated() {
            let x0 = left + groupWidth * Double(g)
            svg +=
                "<text x=\"\(fmt(x0 + 4))\" y=\"\(fmt(height - 10))\" font-size=\"11\">\(escape(delprojekt))</text>\n"
            for (k, value) in values[g].enumerated() {
                guard let value else { continue }
                svg +=
                    "<rect x=\"\(fmt(x0 + 8 + Double(k) * (groupWidth - 16) / 2))\" y=\"\(fmt(y(value)))\" width=\"\(fmt((groupWidth - 24) / 2))\" height=\"\(fmt(height - bottom - y(value)))\" fill=\"\(colours[k + 2])\"/>\n"
            }
            rows +=
                "<tr><th>\(escape(delprojekt))</th>"
                + values[g].map { "<td>\($0.map(String.init) ?? "•")</td>" }.joined() + "</tr>\n"
        }
        svg += "</svg>\n"
        return svg + legend(["kvinna", "man"], offset: 2)
            + "<table><tr><th>delprojekt</th><th>kvinna</th><th>man</th></tr>\n\(rows)</table>\n"
    }

    private static func axes(
        width: Double, height: Double, left: Double, bottom: Double, maximum: Int, y: (Int) -> Double
    ) -> String {
        var svg =
            "<line x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width))\" y2=\"\(fmt(height - bottom))\" stroke=\"#666\"/>\n"
        svg +=
            "<line x1=\"\(fmt(left))\" y1=\"10\" x2=\"\(fmt(left))\" y2=\"\(fmt(height - bottom))\" stroke=\"#666\"/>\n"
        for tick in [0, maximum / 2, maximum] {
            svg += "<text x=\"5\" y=\"\(fmt(y(tick) + 4))\" font-size=\"11\">\(tick)</text>\n"
        }
        return svg
    }

    private static func legend(_ names: [String], offset: Int = 0) -> String {
        "<p class=\"legend\">"
            + names.enumerated().map {
                "<span><i style=\"background:\(colours[$0.offset + offset])\"></i>\(escape($0.element))</span>"
            }
            .joined() + "</p>\n"
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
