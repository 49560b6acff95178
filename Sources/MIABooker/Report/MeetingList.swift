import Foundation
import MIAContracts
import MIAWorkerRuntime

/// The booked meetings in a period, read from the booker's store: what `mia meetings list` prints.
public struct MeetingList: Sendable, Hashable {
    /// One booked meeting, without the participant reference (operators need the referral, not the person).
    public struct Row: Sendable, Hashable {
        /// The meeting id, stable across reschedules.
        public var meetingId: String
        /// The referral the meeting belongs to.
        public var referralId: String
        public var kind: MeetingKind
        public var start: Date
        public var end: Date
        /// The opaque location reference.
        public var location: String
        /// The opaque id of the handläggare.
        public var handlaggareId: String
        /// The opaque id of the insats staff member.
        public var insatsStaffId: String?
        /// The iCalendar sequence: 0 when booked, raised by each change.
        public var sequence: Int
    }

    /// The meetings, by start and meeting id.
    public var rows: [Row]

    /// Reads the booked meetings that start on the local days `from` through `to`.
    ///
    /// - Parameters:
    ///   - staff: Only meetings this staff member (handläggare or insats staff) attends.
    /// - Throws: ``StoreError`` when the store cannot be read, for example before the booker created its tables.
    public static func read(
        from store: any WorkerStore, from first: CalendarDate, to last: CalendarDate, staff: String? = nil
    ) async throws -> MeetingList {
        try await store.read { transaction in
            var sql = """
                SELECT meeting_id, referral_id, kind, start_at, end_at, location, handlaggare_id, insats_staff_id,
                sequence FROM booker_meetings WHERE status = 'booked' AND local_day >= ? AND local_day <= ?
                """
            var arguments: [SQLValue] = [.text(first.description), .text(last.description)]
            if let staff {
                sql += " AND (handlaggare_id = ? OR insats_staff_id = ?)"
                arguments += [.text(staff), .text(staff)]
            }
            let rows = try transaction.query(sql + " ORDER BY start_at, meeting_id", arguments)
            return MeetingList(
                rows: rows.compactMap { row in
                    guard let meetingId = row["meeting_id"].text, let referralId = row["referral_id"].text,
                        let kind = row["kind"].text.flatMap(MeetingKind.init(rawValue:)),
                        let start = row["start_at"].integer, let end = row["end_at"].integer
                    else { return nil }
                    return Row(
                        meetingId: meetingId, referralId: referralId, kind: kind,
                        start: Date(timeIntervalSince1970: TimeInterval(start)),
                        end: Date(timeIntervalSince1970: TimeInterval(end)), location: row["location"].text ?? "",
                        handlaggareId: row["handlaggare_id"].text ?? "", insatsStaffId: row["insats_staff_id"].text,
                        sequence: Int(row["sequence"].integer ?? 0))
                })
        }
    }

    /// Reads from the SQLite file of `mia-booker` (its `--database`).
    ///
    /// - Throws: ``StoreError`` when the file cannot be opened or holds no booker tables.
    public static func read(
        database path: String, from first: CalendarDate, to last: CalendarDate, staff: String? = nil
    ) async throws -> MeetingList {
        let store = try WorkerStores.open(path)
        do {
            let list = try await read(from: store, from: first, to: last, staff: staff)
            await store.close()
            return list
        } catch {
            await store.close()
            throw error
        }
    }

    /// A plain-text table in Europe/Stockholm local time: day, start, end, kind, handläggare, insats staff,
    /// location, meeting id, sequence.
    public var table: String {
        let calendar = WorkingCalendar()
        func clock(_ date: Date) -> String { BookerConfiguration.clock(calendar.minute(of: date)) }
        let header = ["DAY", "START", "END", "KIND", "HANDLAGGARE", "INSATS-STAFF", "LOCATION", "MEETING", "SEQ"]
        let lines =
            [header]
            + rows.map { row in
                [
                    calendar.day(of: row.start).description, clock(row.start), clock(row.end), row.kind.rawValue,
                    row.handlaggareId, row.insatsStaffId ?? "-", row.location, row.meetingId, String(row.sequence),
                ]
            }
        let widths = header.indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }
            .joined(separator: "  ")
        }
        .joined(separator: "\n") + "\n"
    }
}
