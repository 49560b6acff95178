import Foundation
import MIAContracts
import MIAWorkerRuntime

/// Places, occupancy and waitlist of every declared ASF activity, read from the capacity worker's store: what
/// `mia asf status` prints.
public struct CapacityReport: Sendable, Hashable {
    /// One snapshot per activity, ordered by ASF and activity.
    public var rows: [AsfCapacityStatus]

    /// Creates a report from its rows.
    public init(rows: [AsfCapacityStatus]) {
        self.rows = rows
    }

    /// Reads the current figures from a capacity store.
    ///
    /// - Parameters:
    ///   - store: The store `mia-capacity` writes (its `--database`).
    ///   - asfId: Only this ASF's activities, or every ASF when `nil`.
    ///   - time: The `asOf` of the rows.
    /// - Throws: ``StoreError`` when the store cannot be read, for example before the worker created its tables.
    public static func read(from store: any WorkerStore, asfId: String? = nil, at time: Date = Date()) async throws
        -> CapacityReport
    {
        try await store.read { transaction in
            let filter = asfId == nil ? "" : " WHERE p.asf_id = ?"
            let rows = try transaction.query(
                """
                SELECT p.asf_id, p.activity, p.places, p.status,
                (SELECT COUNT(*) FROM capacity_occupancy o WHERE o.asf_id = p.asf_id AND o.activity = p.activity) AS occupied,
                (SELECT COUNT(*) FROM capacity_waitlist w WHERE w.asf_id = p.asf_id AND w.activity = p.activity) AS waiting
                FROM capacity_places p\(filter) ORDER BY p.asf_id, p.activity
                """,
                asfId.map { [.text($0)] } ?? [])
            return CapacityReport(
                rows: rows.map { row in
                    let places = Int(row["places"].integer ?? 0)
                    let occupied = Int(row["occupied"].integer ?? 0)
                    return AsfCapacityStatus(
                        asfId: row["asf_id"].text ?? "", activity: row["activity"].text ?? "", places: places,
                        occupied: occupied, free: max(places - occupied, 0),
                        waitlistLength: Int(row["waiting"].integer ?? 0),
                        status: row["status"].text.flatMap(CapacityStatus.init(rawValue:)) ?? .paused, asOf: time)
                })
        }
    }

    /// Reads the current figures from the store of `mia-capacity` (its `--database`: a SQLite file or a
    /// PostgreSQL URL).
    ///
    /// - Throws: ``StoreError`` when the store cannot be opened or holds no capacity tables.
    public static func read(database path: String, asfId: String? = nil) async throws -> CapacityReport {
        let store = try WorkerStores.open(path)
        do {
            let report = try await read(from: store, asfId: asfId)
            await store.close()
            return report
        } catch {
            await store.close()
            throw error
        }
    }

    /// A plain-text table with a header line: ASF, activity, status, places, occupied, free and waitlist.
    public var table: String {
        let header = ["ASF", "ACTIVITY", "STATUS", "PLACES", "OCCUPIED", "FREE", "WAITLIST"]
        let lines =
            [header]
            + rows.map { row in
                [
                    row.asfId, row.activity, row.status.rawValue, String(row.places), String(row.occupied),
                    String(row.free),
                    String(row.waitlistLength),
                ]
            }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                // Text left-aligned, numbers right-aligned.
                return column < 3 ? cell + padding : padding + cell
            }
            .joined(separator: "  ")
            .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        .joined(separator: "\n") + "\n"
    }
}
