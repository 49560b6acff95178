import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime

/// The delivery ledger of direct channels, `notifier_outgoing`: what is to be sent, what is held for a digest,
/// what was delivered after how many attempts, and what was given up.
///
/// The handler adds each notification of a direct channel as `new`, in the transaction that records it (see
/// ``NotifierState/enqueueDelivery(_:to:at:source:meeting:)``); from there on, each step is one store transaction:
///
/// 1. ``schedule(now:digest:)`` makes a new row `pending` (due now) or `held` (due at the next digest time), and
///    turns the held rows of one handläggare that have come due into one digest row, `pending`, carrying each
///    meeting's latest state only (see `DeliveryLedger+Digests.swift`).
/// 2. ``claim(now:_:)`` takes due messages per destination, counts an attempt and makes each `sending` until the
///    attempt's lease ends, so that no other replica sends it meanwhile and a crash mid-attempt resends only this
///    message, after the lease.
/// 3. ``delivered(_:result:now:)``, ``retry(_:result:at:)`` or ``deadLetter(_:reason:)`` record the outcome. A
///    dead letter is written to the runtime's outbox in the same transaction, for `mia.dlq.notifier`.
///
/// A message's horizon counts from `pending_ms`, when it first became due (a digest: when it was formed; a replay
/// starts it again).
struct DeliveryLedger: Sendable {
    let store: any WorkerStore
    /// The worker whose dead-letter topic receives given-up notifications.
    var worker = "notifier"

    /// One destination's share of a claim.
    struct Claim: Sendable, Hashable {
        /// The agencies whose messages the destination delivers.
        var agencies: [Agency]
        /// The most messages to take.
        var limit: Int
        /// How long the attempt holds each message.
        var lease: Duration
    }

    // MARK: Attempts

    /// Claims due messages for one attempt each, for every destination in one transaction: counts the attempt and
    /// makes the row due again only after the lease, in case this process dies before recording the outcome.
    /// - Returns: The messages of each claim, in the order of `claims`.
    func claim(now: Date, _ claims: [Claim]) async throws -> [[OutgoingMessage]] {
        let nowMs = Self.milliseconds(now)
        return try await store.write { transaction in
            try claims.map { claim in
                guard claim.limit > 0, !claim.agencies.isEmpty else { return [] }
                let rows = try transaction.query(
                    Self.selectColumns
                        + """
                         WHERE status IN ('pending', 'sending') AND due_ms <= ? AND agency IN (\(Self.marks(claim.agencies.count)))
                        ORDER BY due_ms, seq LIMIT ?
                        """,
                    [.integer(nowMs)] + claim.agencies.map { .text($0.rawValue) } + [.int(claim.limit)])
                let leaseMs = nowMs + claim.lease.milliseconds
                return try rows.map { row in
                    try transaction.execute(
                        "UPDATE notifier_outgoing SET status = 'sending', attempts = attempts + 1, due_ms = ? WHERE seq = ?",
                        [.integer(leaseMs), row["seq"]])
                    return try Self.message(row, attempt: Int(row["attempts"].integer ?? 0) + 1, now: now, transaction)
                }
            }
        }
    }

    /// Claims the waiting messages of agencies whose horizon has passed, without counting an attempt: what a
    /// destination whose circuit breaker is open dead-letters without trying again.
    /// - Parameters:
    ///   - horizons: The horizon of each agency concerned.
    ///   - lease: How long the claim holds them, until they are dead-lettered.
    func claimExpired(now: Date, horizons: [Agency: Duration], lease: Duration) async throws -> [OutgoingMessage] {
        let nowMs = Self.milliseconds(now)
        return try await store.write { transaction in
            var messages: [OutgoingMessage] = []
            for (agency, horizon) in horizons.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let rows = try transaction.query(
                    Self.selectColumns
                        + " WHERE status = 'pending' AND agency = ? AND COALESCE(pending_ms, time_ms) <= ? ORDER BY seq LIMIT 500",
                    [.text(agency.rawValue), .integer(nowMs - horizon.milliseconds)])
                for row in rows {
                    try transaction.execute(
                        "UPDATE notifier_outgoing SET status = 'sending', due_ms = ? WHERE seq = ?",
                        [.integer(nowMs + lease.milliseconds), row["seq"]])
                    messages.append(
                        try Self.message(row, attempt: Int(row["attempts"].integer ?? 0), now: now, transaction))
                }
            }
            return messages
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

    /// Records a failed attempt and when to try again.
    func retry(_ message: OutgoingMessage, result: DeliveryResult, at due: Date) async throws {
        _ = try await store.write { transaction in
            try transaction.execute(
                "UPDATE notifier_outgoing SET status = 'pending', due_ms = ?, last_result = ? WHERE delivery_id = ?",
                [.integer(Self.milliseconds(due)), .text(result.detail), .text(message.id)])
        }
    }

    /// Makes the waiting messages of some agencies due at once: what a destination that answers again after an
    /// outage gets, so that its backlog does not wait out the backoff.
    /// - Returns: How many messages were made due.
    @discardableResult
    func makeDue(agencies: [Agency], now: Date) async throws -> Int {
        guard !agencies.isEmpty else { return 0 }
        let nowMs = Self.milliseconds(now)
        return try await store.write { transaction in
            try transaction.execute(
                """
                UPDATE notifier_outgoing SET due_ms = ?
                WHERE status = 'pending' AND due_ms > ? AND agency IN (\(Self.marks(agencies.count)))
                """,
                [.integer(nowMs), .integer(nowMs)] + agencies.map { .text($0.rawValue) })
        }
    }

    /// Gives a message up: each of its notifications is written to `mia.dlq.<worker>` through the outbox, in the
    /// transaction that marks the message dead.
    ///
    /// Each letter is the `se.mia.notification.requested` event, keyed by handläggare id, with `mia-error-class:
    /// delivery`, the reason, the input record the notification was made from (`mia-original-topic`,
    /// `-partition`, `-offset`) and the delivery's id, channel, agency and attempts.
    /// - Returns: The original topic of each letter, for the dead-letter metric.
    @discardableResult
    func deadLetter(_ message: OutgoingMessage, reason: String) async throws -> [String] {
        let encoder = EventEncoder()
        let suffix = message.replays == 0 ? "" : "/replay-\(message.replays)"
        let letters = try zip(message.notifications, zip(message.times, message.sources)).map { entry in
            let (notification, (time, source)) = entry
            let event = CloudEvent(
                id: UUIDv5.make(
                    namespace: UUIDv5.eventIdNamespace, name: "\(notification.notificationId)/dead-letter\(suffix)"
                ).uuidString.lowercased(),
                source: "urn:mia:worker:\(worker)", time: time, payload: .notificationRequested(notification))
            let headers = [
                KafkaHeader(name: "mia-error-class", string: "delivery"),
                KafkaHeader(name: "mia-error-reason", string: String(reason.prefix(1000))),
                KafkaHeader(name: "mia-original-topic", string: source?.topic ?? TopicRegistry.notification),
                KafkaHeader(name: "mia-original-partition", string: source.map { String($0.partition) } ?? ""),
                KafkaHeader(name: "mia-original-offset", string: source.map { String($0.offset) } ?? ""),
                KafkaHeader(name: "mia-original-timestamp", string: ""),
                KafkaHeader(name: "mia-worker", string: worker),
                KafkaHeader(name: Self.deliveryIdHeader, string: message.id),
                KafkaHeader(name: "mia-delivery-channel", string: message.channel),
                KafkaHeader(name: "mia-delivery-agency", string: message.agency.rawValue),
                KafkaHeader(name: "mia-delivery-attempts", string: String(message.attempt)),
                KafkaHeader(name: "mia-notification-id", string: notification.notificationId),
            ]
            return (
                id: "dlq:delivery/\(notification.notificationId)\(suffix)",
                record: KafkaProducerMessage(
                    topic: TopicRegistry.deadLetter(worker: worker), key: Array(event.subject.utf8),
                    value: Array(try encoder.encode(event)), headers: headers),
                topic: source?.topic ?? TopicRegistry.notification
            )
        }
        try await store.write { transaction in
            try transaction.execute(
                "UPDATE notifier_outgoing SET status = 'dead', last_result = ? WHERE delivery_id = ?",
                [.text(String(reason.prefix(500))), .text(message.id)])
            for letter in letters {
                try transaction.enqueueForRelay(id: letter.id, letter.record)
            }
        }
        return letters.map(\.topic)
    }

    /// The header of a delivery's dead letter naming the delivery (a notification's id, or its digest's), by
    /// which `mia dlq replay` redelivers it.
    static let deliveryIdHeader = "mia-delivery-id"

    // MARK: Rows

    private static let selectColumns = """
        SELECT seq, delivery_id, channel, agency, handlaggare_id, contact_channel, notification, time_ms, attempts,
            pending_ms, last_result, replays, source_topic, source_partition, source_offset
        FROM notifier_outgoing
        """

    /// The message of a claimed row: its notification, or the notifications of its digest.
    private static func message(
        _ row: SQLRow, attempt: Int, now: Date, _ transaction: any StoreTransaction
    ) throws -> OutgoingMessage {
        let id = row["delivery_id"].text ?? ""
        guard let agency = row["agency"].text.flatMap(Agency.init) else {
            throw StoreError(isTransient: false, message: "notifier_outgoing \(id) names no known agency")
        }
        let isDigest = row["notification"].isNull
        let members =
            isDigest
            ? try transaction.query(
                """
                SELECT notification, time_ms, source_topic, source_partition, source_offset FROM notifier_outgoing
                WHERE digest_id = ? AND status = 'digested' ORDER BY seq
                """,
                [.text(id)])
            : [row]
        let decoder = JSONDecoder()
        return OutgoingMessage(
            id: id, channel: row["channel"].text ?? "", agency: agency,
            handlaggareId: row["handlaggare_id"].text ?? "", contactChannel: row["contact_channel"].text ?? "",
            isDigest: isDigest,
            notifications: try members.map { member in
                try decoder.decode(NotificationRequested.self, from: Data((member["notification"].text ?? "").utf8))
            },
            times: members.map { date($0["time_ms"]) },
            sources: members.map { member in
                guard let topic = member["source_topic"].text, let partition = member["source_partition"].integer,
                    let offset = member["source_offset"].integer
                else { return nil }
                return OutgoingMessage.Source(topic: topic, partition: Int(partition), offset: offset)
            },
            attempt: attempt,
            pendingSince: row["pending_ms"].isNull ? date(row["time_ms"]) : date(row["pending_ms"]),
            lastResult: row["last_result"].text, replays: Int(row["replays"].integer ?? 0))
    }

    // MARK: Helpers

    /// `?, ?, ?`: one placeholder per value.
    static func marks(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func date(_ value: SQLValue) -> Date {
        Date(timeIntervalSince1970: Double(value.integer ?? 0) / 1000)
    }
}
