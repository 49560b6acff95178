import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime

/// The delivery ledger of direct channels, `notifier_outgoing`: what is to be sent, what is held for a digest,
/// what was delivered after how many attempts, and what was given up.
///
/// The handler adds each notification of a direct channel as `new`, in the transaction that records it (see
/// ``NotifierState/enqueueDelivery(_:to:at:)``); from there on, each step is one store transaction:
///
/// 1. ``schedule(now:digest:)`` makes a new row `pending` (due now) or `held` (due at the next digest time), and
///    turns the held rows of one handläggare that have come due into one digest row, `pending`.
/// 2. ``claim(now:limit:lease:)`` counts an attempt and moves the row's due time past the attempt's end, so that
///    no other replica sends it meanwhile and a crash mid-attempt resends only this message, after the lease.
/// 3. ``delivered(_:result:now:)``, ``retry(_:result:at:)`` or ``deadLetter(_:result:)`` record the outcome.
///    A dead letter is written to the runtime's outbox in the same transaction, for `mia.dlq.notifier`.
struct DeliveryLedger: Sendable {
    let store: any WorkerStore
    /// The worker whose dead-letter topic receives given-up notifications.
    var worker = "notifier"

    // MARK: Scheduling

    /// Makes new rows pending or held, and gathers held rows whose digest time has come into digests.
    func schedule(now: Date, digest: DigestSchedule) async throws {
        let nowMs = Self.milliseconds(now)
        let digestMs = digest.nextDigest(after: now).map(Self.milliseconds)
        try await store.write { transaction in
            try transaction.execute(
                "UPDATE notifier_outgoing SET status = 'pending', due_ms = ? WHERE status = 'new' AND (urgent = 1 OR ? = 0)",
                [.integer(nowMs), .bool(digestMs != nil)])
            if let digestMs {
                try transaction.execute(
                    "UPDATE notifier_outgoing SET status = 'held', due_ms = ? WHERE status = 'new'",
                    [.integer(digestMs)])
            }
            let held = try transaction.query(
                """
                SELECT delivery_id, channel, agency, handlaggare_id, contact_channel, due_ms FROM notifier_outgoing
                WHERE status = 'held' AND due_ms <= ? ORDER BY seq
                """,
                [.integer(nowMs)])
            let digests = Dictionary(grouping: held) { row in
                [row["handlaggare_id"], row["agency"], row["channel"], row["contact_channel"], row["due_ms"]]
            }
            for rows in digests.values {
                let first = rows[0]
                let dueMs = first["due_ms"].integer ?? nowMs
                let digestId = Self.digestId(
                    handlaggareId: first["handlaggare_id"].text ?? "", channel: first["channel"].text ?? "",
                    dueMs: dueMs)
                try transaction.execute(
                    """
                    INSERT INTO notifier_outgoing (delivery_id, channel, agency, handlaggare_id, contact_channel,
                        urgent, notification, time_ms, status, due_ms)
                    VALUES (?, ?, ?, ?, ?, 0, NULL, ?, 'pending', ?) ON CONFLICT (delivery_id) DO NOTHING
                    """,
                    [
                        .text(digestId), first["channel"], first["agency"], first["handlaggare_id"],
                        first["contact_channel"], .integer(dueMs), .integer(nowMs),
                    ])
                for row in rows {
                    try transaction.execute(
                        "UPDATE notifier_outgoing SET status = 'digested', digest_id = ? WHERE delivery_id = ?",
                        [.text(digestId), row["delivery_id"]])
                }
            }
        }
    }

    // MARK: Attempts

    /// Claims up to `limit` due messages for an attempt each: counts the attempt and makes the row due again only
    /// after `lease`, in case this process dies before recording the outcome.
    func claim(now: Date, limit: Int, lease: Duration) async throws -> [OutgoingMessage] {
        let nowMs = Self.milliseconds(now)
        let leaseMs =
            nowMs + Int64(lease.components.seconds * 1000) + lease.components.attoseconds / 1_000_000_000_000_000
        return try await store.write { transaction in
            let rows = try transaction.query(
                """
                SELECT seq, delivery_id, channel, agency, handlaggare_id, contact_channel, notification, time_ms, attempts
                FROM notifier_outgoing WHERE status = 'pending' AND due_ms <= ? ORDER BY seq LIMIT ?
                """,
                [.integer(nowMs), .int(limit)])
            let decoder = JSONDecoder()
            return try rows.map { row in
                try transaction.execute(
                    "UPDATE notifier_outgoing SET attempts = attempts + 1, due_ms = ? WHERE seq = ?",
                    [.integer(leaseMs), row["seq"]])
                let id = row["delivery_id"].text ?? ""
                guard let agency = row["agency"].text.flatMap(Agency.init) else {
                    throw StoreError(isTransient: false, message: "notifier_outgoing \(id) names no known agency")
                }
                let isDigest = row["notification"].isNull
                let members =
                    isDigest
                    ? try transaction.query(
                        "SELECT notification, time_ms FROM notifier_outgoing WHERE digest_id = ? ORDER BY seq",
                        [.text(id)])
                    : [row]
                return OutgoingMessage(
                    id: id, channel: row["channel"].text ?? "", agency: agency,
                    handlaggareId: row["handlaggare_id"].text ?? "", contactChannel: row["contact_channel"].text ?? "",
                    isDigest: isDigest,
                    notifications: try members.map { member in
                        try decoder.decode(
                            NotificationRequested.self, from: Data((member["notification"].text ?? "").utf8))
                    },
                    times: members.map { Self.date($0["time_ms"]) },
                    attempt: Int(row["attempts"].integer ?? 0) + 1)
            }
        }
    }

    /// Records that the receiver accepted a message.
    func delivered(_ message: OutgoingMessage, result: DeliveryResult, now: Date) async throws {
        _ = try await store.write { transaction in
            try transaction.execute(
                """
                UPDATE notifier_outgoing SET status = 'delivered', delivered_ms = ?, last_result = ?
                WHERE delivery_id = ?
                """,
                [.integer(Self.milliseconds(now)), .text(result.detail), .text(message.id)])
        }
    }

    /// Records a failed attempt to be retried at `due`.
    func retry(_ message: OutgoingMessage, result: DeliveryResult, at due: Date) async throws {
        _ = try await store.write { transaction in
            try transaction.execute(
                "UPDATE notifier_outgoing SET due_ms = ?, last_result = ? WHERE delivery_id = ? AND status = 'pending'",
                [.integer(Self.milliseconds(due)), .text(result.detail), .text(message.id)])
        }
    }

    /// Gives a message up: marks it `dead` and writes each of its notifications to the runtime's outbox for
    /// `mia.dlq.<worker>`, as a `se.mia.notification.requested` event keyed by handläggare id, with the headers
    /// `mia-error-class: handler`, `mia-error-reason`, `mia-original-topic`, `mia-worker`, `mia-delivery-id`,
    /// `mia-delivery-channel` and `mia-delivery-attempts`.
    func deadLetter(_ message: OutgoingMessage, result: DeliveryResult) async throws {
        let reason = "\(message.channel) delivery failed after \(message.attempt) attempt(s): \(result.detail)"
        let headers = [
            ("content-type", "application/cloudevents+json"), ("mia-error-class", "handler"),
            ("mia-error-reason", reason), ("mia-original-topic", TopicRegistry.notification), ("mia-worker", worker),
            ("mia-delivery-id", message.id), ("mia-delivery-channel", message.channel),
            ("mia-delivery-attempts", String(message.attempt)),
        ].map { KafkaHeader(name: $0.0, string: $0.1) }
        let encoder = EventEncoder()
        let letters = try zip(message.notifications, message.times).map { notification, time in
            let event = CloudEvent(
                id: UUIDv5.make(namespace: UUIDv5.eventIdNamespace, name: "\(notification.notificationId)/dead-letter")
                    .uuidString.lowercased(),
                source: "urn:mia:worker:\(worker)", time: time, payload: .notificationRequested(notification))
            return (
                id: "dlq:delivery/\(notification.notificationId)", key: event.subject, value: try encoder.encode(event)
            )
        }
        let topic = TopicRegistry.deadLetter(worker: worker)
        try await store.write { transaction in
            try transaction.execute(
                "UPDATE notifier_outgoing SET status = 'dead', last_result = ? WHERE delivery_id = ?",
                [.text(result.detail), .text(message.id)])
            for letter in letters {
                try transaction.enqueueForRelay(
                    id: letter.id,
                    KafkaProducerMessage(topic: topic, key: letter.key, value: Array(letter.value), headers: headers))
            }
        }
    }

    // MARK: Helpers

    /// The id of the digest of one handläggare's notifications held until `dueMs`.
    static func digestId(handlaggareId: String, channel: String, dueMs: Int64) -> String {
        UUIDv5.make(namespace: digestNamespace, name: "digest/\(handlaggareId)/\(channel)/\(dueMs)").uuidString
            .lowercased()
    }

    /// The UUIDv5 namespace of digest ids.
    private static let digestNamespace = UUID(uuidString: "0b6f5d0e-3c1a-4f7e-9d42-8a5b1c7e2f93")!

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    private static func date(_ value: SQLValue) -> Date {
        Date(timeIntervalSince1970: Double(value.integer ?? 0) / 1000)
    }
}
