import Foundation
import MIAContracts
import MIAWorkerRuntime

extension DeliveryLedger {
    /// What waits in the ledger: the figures of the delivery gauges.
    struct Backlog: Sendable, Hashable {
        /// Messages due or being attempted, by agency and channel, and since when the oldest of them is due.
        struct Waiting: Sendable, Hashable {
            var agency: Agency
            var channel: String
            var messages: Int
            var oldestSince: Date
        }

        var waiting: [Waiting]
        /// Notifications held for a digest.
        var held: Int
        /// When the first held notification is due, if any is held.
        var nextHeldDue: Date?
    }

    /// The ledger's backlog, read in one transaction.
    func backlog() async throws -> Backlog {
        try await store.read { transaction in
            let waiting = try transaction.query(
                """
                SELECT agency, channel, COUNT(*) AS messages, MIN(COALESCE(pending_ms, time_ms)) AS oldest
                FROM notifier_outgoing WHERE status IN ('pending', 'sending') GROUP BY agency, channel
                """, [])
            let held = try transaction.queryOne(
                "SELECT COUNT(*) AS held, MIN(due_ms) AS next FROM notifier_outgoing WHERE status = 'held'", [])
            return Backlog(
                waiting: waiting.compactMap { row in
                    guard let agency = row["agency"].text.flatMap(Agency.init) else { return nil }
                    return Backlog.Waiting(
                        agency: agency, channel: row["channel"].text ?? "",
                        messages: Int(row["messages"].integer ?? 0), oldestSince: Self.date(row["oldest"]))
                },
                held: Int(held?["held"].integer ?? 0),
                nextHeldDue: held?["next"].isNull == false ? held.map { Self.date($0["next"]) } : nil)
        }
    }

    /// A delivery's state in the ledger, as `mia` reports it.
    struct Entry: Sendable, Hashable {
        var id: String
        var status: String
        var channel: String
        var agency: String
        var attempts: Int
        var lastResult: String?
        var notifications: Int
    }

    /// The deliveries with the given ids that the ledger knows.
    func entries(_ ids: [String]) async throws -> [Entry] {
        guard !ids.isEmpty else { return [] }
        return try await store.read { transaction in
            try transaction.query(
                """
                SELECT o.delivery_id, o.status, o.channel, o.agency, o.attempts, o.last_result,
                    (SELECT COUNT(*) FROM notifier_outgoing m WHERE m.digest_id = o.delivery_id AND m.status = 'digested')
                        AS members
                FROM notifier_outgoing o WHERE o.delivery_id IN (\(Self.marks(ids.count)))
                """,
                ids.map { .text($0) }
            ).map { row in
                let isDigest = (row["members"].integer ?? 0) > 0
                return Entry(
                    id: row["delivery_id"].text ?? "", status: row["status"].text ?? "",
                    channel: row["channel"].text ?? "", agency: row["agency"].text ?? "",
                    attempts: Int(row["attempts"].integer ?? 0), lastResult: row["last_result"].text,
                    notifications: isDigest ? Int(row["members"].integer ?? 0) : 1)
            }
        }
    }

    /// Puts a dead delivery back in the queue, due now, with a new horizon: a replay. A delivery that is not dead
    /// (delivered, queued, or already replayed) is left as it is.
    /// - Returns: The delivery's status before, or `nil` when the ledger does not know it.
    func requeue(_ id: String, now: Date) async throws -> String? {
        let nowMs = Self.milliseconds(now)
        return try await store.write { transaction in
            guard
                let status = try transaction.queryOne(
                    "SELECT status FROM notifier_outgoing WHERE delivery_id = ?", [.text(id)])?["status"].text
            else { return nil }
            if status == "dead" {
                try transaction.execute(
                    """
                    UPDATE notifier_outgoing SET status = 'pending', due_ms = ?, pending_ms = ?, replays = replays + 1
                    WHERE delivery_id = ? AND status = 'dead'
                    """,
                    [.integer(nowMs), .integer(nowMs), .text(id)])
            }
            return status
        }
    }
}
