import Foundation
import MIAContracts
import MIAWorkerRuntime

extension DeliveryLedger {
    /// A digest formed from held notifications.
    struct FormedDigest: Sendable, Hashable {
        /// The digest's delivery id.
        var id: String
        /// The notifications it carries.
        var notifications: Int
        /// The held notifications it replaced by a later state of the same meeting.
        var superseded: Int
    }

    /// Makes new rows pending or held, and gathers held rows whose digest time has come into digests.
    /// - Returns: The digests formed.
    @discardableResult
    func schedule(now: Date, digest: DigestSchedule) async throws -> [FormedDigest] {
        let nowMs = Self.milliseconds(now)
        let digestMs = digest.nextDigest(after: now).map(Self.milliseconds)
        return try await store.write { transaction in
            try transaction.execute(
                """
                UPDATE notifier_outgoing SET status = 'pending', due_ms = ?, pending_ms = ?
                WHERE status = 'new' AND (urgent = 1 OR ? = 0)
                """,
                [.integer(nowMs), .integer(nowMs), .bool(digestMs != nil)])
            if let digestMs {
                try transaction.execute(
                    "UPDATE notifier_outgoing SET status = 'held', due_ms = ?, held_ms = ? WHERE status = 'new'",
                    [.integer(digestMs), .integer(nowMs)])
            }
            return try Self.formDigests(now: nowMs, transaction)
        }
    }

    /// Makes the held notifications follow the current digest setting, as at start-up: with digests off each is
    /// due now on its own; with a daily digest each is due at the first digest time of the current setting after it
    /// was held.
    /// - Returns: How many held notifications changed their due time or were released.
    @discardableResult
    func reconcileHeld(digest: DigestSchedule, now: Date) async throws -> Int {
        let nowMs = Self.milliseconds(now)
        return try await store.write { transaction in
            guard digest.isOn else {
                return try transaction.execute(
                    """
                    UPDATE notifier_outgoing SET status = 'pending', due_ms = ?, pending_ms = ?, held_ms = NULL
                    WHERE status = 'held'
                    """,
                    [.integer(nowMs), .integer(nowMs)])
            }
            let groups = try transaction.query(
                """
                SELECT DISTINCT COALESCE(held_ms, time_ms) AS since, due_ms FROM notifier_outgoing
                WHERE status = 'held'
                """, [])
            var changed = 0
            for group in groups {
                guard let since = group["since"].integer,
                    let due = digest.nextDigest(after: Self.date(.integer(since))).map(Self.milliseconds),
                    due != group["due_ms"].integer
                else { continue }
                changed += try transaction.execute(
                    """
                    UPDATE notifier_outgoing SET due_ms = ?
                    WHERE status = 'held' AND COALESCE(held_ms, time_ms) = ? AND due_ms = ?
                    """,
                    [.integer(due), .integer(since), group["due_ms"]])
            }
            return changed
        }
    }

    /// Makes every held notification due now and forms the digests at once: `mia notifier flush`.
    /// - Returns: The digests formed; the delivery service sends them.
    func flushHeld(now: Date) async throws -> [FormedDigest] {
        let nowMs = Self.milliseconds(now)
        return try await store.write { transaction in
            try transaction.execute(
                "UPDATE notifier_outgoing SET due_ms = ? WHERE status = 'held' AND due_ms > ?",
                [.integer(nowMs), .integer(nowMs)])
            return try Self.formDigests(now: nowMs, transaction)
        }
    }

    /// Turns the held rows due by `now` into one digest row per handläggare, channel and digest time, `pending`.
    ///
    /// A digest carries each meeting's latest state only: of the held notifications about one meeting, the one
    /// with the highest sequence (the last written, on a tie) goes; the others become `superseded`.
    private static func formDigests(now nowMs: Int64, _ transaction: any StoreTransaction) throws -> [FormedDigest] {
        let held = try transaction.query(
            """
            SELECT seq, delivery_id, channel, agency, handlaggare_id, contact_channel, due_ms, meeting_id,
                meeting_sequence
            FROM notifier_outgoing WHERE status = 'held' AND due_ms <= ? ORDER BY seq
            """,
            [.integer(nowMs)])
        let groups = Dictionary(grouping: held) { row in
            [row["handlaggare_id"], row["agency"], row["channel"], row["contact_channel"], row["due_ms"]]
        }
        var formed: [FormedDigest] = []
        for rows in groups.values.sorted(by: { ($0[0]["seq"].integer ?? 0) < ($1[0]["seq"].integer ?? 0) }) {
            let first = rows[0]
            let dueMs = first["due_ms"].integer ?? nowMs
            let digestId = digestId(
                handlaggareId: first["handlaggare_id"].text ?? "", channel: first["channel"].text ?? "", dueMs: dueMs)
            var latest: [String: SQLRow] = [:]
            for row in rows {
                guard let meeting = row["meeting_id"].text else { continue }
                if let kept = latest[meeting],
                    (kept["meeting_sequence"].integer ?? 0) > (row["meeting_sequence"].integer ?? 0)
                {
                    continue
                }
                latest[meeting] = row
            }
            let superseded = rows.filter { row in
                guard let meeting = row["meeting_id"].text else { return false }
                return latest[meeting]?["seq"] != row["seq"]
            }
            try transaction.execute(
                """
                INSERT INTO notifier_outgoing (delivery_id, channel, agency, handlaggare_id, contact_channel,
                    urgent, notification, time_ms, status, due_ms, pending_ms)
                VALUES (?, ?, ?, ?, ?, 0, NULL, ?, 'pending', ?, ?) ON CONFLICT (delivery_id) DO NOTHING
                """,
                [
                    .text(digestId), first["channel"], first["agency"], first["handlaggare_id"],
                    first["contact_channel"], .integer(dueMs), .integer(nowMs), .integer(nowMs),
                ])
            let supersededSeqs = Set(superseded.map { $0["seq"] })
            for row in rows {
                try transaction.execute(
                    "UPDATE notifier_outgoing SET status = ?, digest_id = ? WHERE seq = ?",
                    [
                        .text(supersededSeqs.contains(row["seq"]) ? "superseded" : "digested"), .text(digestId),
                        row["seq"],
                    ])
            }
            formed.append(
                FormedDigest(
                    id: digestId, notifications: rows.count - superseded.count, superseded: superseded.count))
        }
        return formed
    }

    /// The id of the digest of one handläggare's notifications held until `dueMs`.
    static func digestId(handlaggareId: String, channel: String, dueMs: Int64) -> String {
        UUIDv5.make(namespace: digestNamespace, name: "digest/\(handlaggareId)/\(channel)/\(dueMs)").uuidString
            .lowercased()
    }

    /// The UUIDv5 namespace of digest ids.
    private static let digestNamespace = UUID(uuidString: "0b6f5d0e-3c1a-4f7e-9d42-8a5b1c7e2f93")!
}
