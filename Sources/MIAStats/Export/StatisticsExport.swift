import Foundation
import MIAContracts

/// The tidy table of statistics cells for analysts: one row per cell, as CSV or JSON.
///
/// Columns, in order: `period`, `periodType`, `delprojekt`, `gender`, `insatsType`, `indicator`, `value`
/// (empty when suppressed), `share` (of the started or ended; empty when suppressed or not defined),
/// `suppressed` (`true`/`false`), `suppressionMethod` (`none`, `primary`, `secondary`), `threshold`,
/// `reference` (MIA's reference share, if any).
public enum StatisticsExport {
    /// The CSV header; stable, analysts' scripts depend on it.
    public static let columns = [
        "period", "periodType", "delprojekt", "gender", "insatsType", "indicator", "value", "share", "suppressed",
        "suppressionMethod", "threshold", "reference",
    ]

    /// RFC 4180 CSV with a header line, `\r\n` line ends, every field plain (codes and numbers need no quotes).
    public static func csv(_ cells: [StatisticsCell]) -> String {
        var lines = [columns.joined(separator: ",")]
        lines.reserveCapacity(cells.count + 1)
        for cell in cells { lines.append(fields(cell).joined(separator: ",")) }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A JSON array of objects with the same columns as the CSV; `null` where the CSV has an empty field.
    public static func json(_ cells: [StatisticsCell]) throws -> Data {
        let rows = cells.map { cell in
            Row(
                period: cell.period, periodType: cell.periodType.rawValue, delprojekt: cell.delprojekt,
                gender: cell.breakdown.gender.rawValue, insatsType: cell.breakdown.insatsType,
                indicator: cell.indicator, value: cell.value, share: cell.share, suppressed: cell.suppressed,
                suppressionMethod: cell.suppressionMethod.rawValue, threshold: cell.threshold,
                reference: cell.reference)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted]
        return try encoder.encode(rows)
    }

    static func fields(_ cell: StatisticsCell) -> [String] {
        [
            cell.period, cell.periodType.rawValue, cell.delprojekt, cell.breakdown.gender.rawValue,
            cell.breakdown.insatsType, cell.indicator, cell.value.map(String.init) ?? "",
            cell.share.map { String($0) } ?? "", String(cell.suppressed), cell.suppressionMethod.rawValue,
            String(cell.threshold), cell.reference.map { String($0) } ?? "",
        ]
    }

    /// One row of the JSON export; encodes every column, `null` included.
    private struct Row: Encodable {
        var period, periodType, delprojekt, gender, insatsType, indicator: String
        var value: Int?
        var share: Double?
        var suppressed: Bool
        var suppressionMethod: String
        var threshold: Int
        var reference: Double?

        enum CodingKeys: String, CodingKey {
            case period, periodType, delprojekt, gender, insatsType, indicator, value, share, suppressed
            case suppressionMethod, threshold, reference
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(period, forKey: .period)
            try container.encode(periodType, forKey: .periodType)
            try container.encode(delprojekt, forKey: .delprojekt)
            try container.encode(gender, forKey: .gender)
            try container.encode(insatsType, forKey: .insatsType)
            try container.encode(indicator, forKey: .indicator)
            try container.encode(value, forKey: .value)
            try container.encode(share, forKey: .share)
            try container.encode(suppressed, forKey: .suppressed)
            try container.encode(suppressionMethod, forKey: .suppressionMethod)
            try container.encode(threshold, forKey: .threshold)
            try container.encode(reference, forKey: .reference)
        }
    }
}
