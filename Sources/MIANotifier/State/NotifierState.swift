import Foundation
import MIAContracts
import MIAWorkerRuntime

/// The notifier's tables (see ``NotifierTables``), read and written inside the runtime's transaction.
struct NotifierState {
    let transaction: any StoreTransaction

    init(_ transaction: any StoreTransaction) {
        self.transaction = transaction
    }

    // MARK: Referrals

    /// Remembers who referred an anvisning and returns the recipient of its notifications. The first anvisning
    /// with an id wins: a later one with the same id does not change the recipient.
    func remember(_ referral: ReferralCreated) throws -> Recipient {
        let recipient = Recipient(referral)
        try transaction.execute(
            """
            INSERT INTO notifier_referrals (referral_id, handlaggare_id, agency, contact_channel, agency_case_ref)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (referral_id) DO NOTHING
            """,
            [
                .text(recipient.referralId), .text(recipient.handlaggareId), .text(recipient.agency.rawValue),
                .text(recipient.contactChannel), .text(recipient.agencyCaseRef),
            ])
        return try self.recipient(of: referral.referralId) ?? recipient
    }

    /// The recipient of notifications about a referral, or `nil` while its anvisning has not arrived.
    func recipient(of referralId: String) throws -> Recipient? {
        guard
            let row = try transaction.queryOne(
                """
                SELECT handlaggare_id, agency, contact_channel, agency_case_ref
                FROM notifier_referrals WHERE referral_id = ?
                """,
                [.text(referralId)]),
            let handlaggareId = row["handlaggare_id"].text, let agency = row["agency"].text.flatMap(Agency.init),
            let contactChannel = row["contact_channel"].text, let caseRef = row["agency_case_ref"].text
        else { return nil }
        return Recipient(
            referralId: referralId, handlaggareId: handlaggareId, agency: agency, contactChannel: contactChannel,
            agencyCaseRef: caseRef)
    }

    // MARK: Meetings

    /// Records a meeting event and returns the meeting as now known: the event's fields, completed by what
    /// earlier events said. An event older than the one recorded (a lower sequence) does not replace it.
    func record(_ event: MeetingEvent) throws -> MeetingSnapshot {
        let meeting = MeetingSnapshot(event, completing: try meeting(event.meetingId))
        try transaction.execute(
            """
            INSERT INTO notifier_meetings (meeting_id, kind, sequence, start_ms, end_ms, location)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (meeting_id) DO UPDATE SET kind = excluded.kind, sequence = excluded.sequence,
                start_ms = excluded.start_ms, end_ms = excluded.end_ms, location = excluded.location
            WHERE excluded.sequence >= notifier_meetings.sequence
            """,
            [
                .text(meeting.meetingId), .text(meeting.kind.rawValue), .int(meeting.sequence),
                Self.milliseconds(meeting.start), Self.milliseconds(meeting.end), .text(meeting.location),
            ])
        return meeting
    }

    /// The meeting as last recorded, or `nil` when no event about it has arrived.
    private func meeting(_ meetingId: String) throws -> MeetingSnapshot? {
        guard
            let row = try transaction.queryOne(
                "SELECT kind, sequence, start_ms, end_ms, location FROM notifier_meetings WHERE meeting_id = ?",
                [.text(meetingId)]),
            let kind = row["kind"].text.flatMap(MeetingKind.init), let sequence = row["sequence"].integer
        else { return nil }
        return MeetingSnapshot(
            meetingId: meetingId, kind: kind, sequence: Int(sequence), start: Self.date(row["start_ms"]),
            end: Self.date(row["end_ms"]), location: row["location"].text)
    }

    // MARK: Pending notices

    /// Keeps a notice until its referral's anvisning arrives; the same fact is kept once.
    func park(_ notice: Notice) throws {
        let json = String(decoding: try JSONEncoder().encode(notice), as: UTF8.self)
        try transaction.execute(
            """
            INSERT INTO notifier_pending (referral_id, occurrence, notice) VALUES (?, ?, ?)
            ON CONFLICT (referral_id, occurrence) DO NOTHING
            """,
            [.text(notice.referralId), .text(notice.occurrence), .text(json)])
    }

    /// Removes and returns the notices kept for a referral, in the order they arrived.
    func unpark(referralId: String) throws -> [Notice] {
        let rows = try transaction.query(
            "SELECT notice FROM notifier_pending WHERE referral_id = ? ORDER BY seq", [.text(referralId)])
        try transaction.execute("DELETE FROM notifier_pending WHERE referral_id = ?", [.text(referralId)])
        let decoder = JSONDecoder()
        return try rows.map { row in try decoder.decode(Notice.self, from: Data((row["notice"].text ?? "").utf8)) }
    }

    // MARK: Deliveries

    /// Records that a notification is sent; `false` when it was sent before, so it must not be sent again.
    func claim(_ notificationId: String, for notice: Notice, to recipient: Recipient) throws -> Bool {
        try transaction.execute(
            """
            INSERT INTO notifier_deliveries (notification_id, referral_id, handlaggare_id, kind, occurrence)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT (notification_id) DO NOTHING
            """,
            [
                .text(notificationId), .text(notice.referralId), .text(recipient.handlaggareId),
                .text(notice.kind.rawValue), .text(notice.occurrence),
            ]) == 1
    }

    /// Adds a notification of a direct channel (webhook, e-mail) to the delivery ledger, as `new`: the
    /// ``NotificationDeliveryService`` sends it, or holds it for a digest. A second add of the same id does nothing.
    /// - Parameters:
    ///   - notification: The notification.
    ///   - recipient: Its recipient.
    ///   - time: When the fact happened.
    ///   - source: The input record it was made from, which its dead letter names.
    ///   - meeting: The meeting its invitation describes, if any: a digest carries only its latest state.
    func enqueueDelivery(
        _ notification: NotificationRequested, to recipient: Recipient, at time: Date, source: WorkerInput,
        meeting: MeetingSnapshot?
    ) throws {
        let json = String(decoding: try JSONEncoder().encode(notification), as: UTF8.self)
        try transaction.execute(
            """
            INSERT INTO notifier_outgoing (delivery_id, channel, agency, handlaggare_id, contact_channel, urgent,
                notification, time_ms, status, source_topic, source_partition, source_offset, meeting_id,
                meeting_sequence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?) ON CONFLICT (delivery_id) DO NOTHING
            """,
            [
                .text(notification.notificationId), .text(notification.channel), .text(recipient.agency.rawValue),
                .text(recipient.handlaggareId), .text(recipient.contactChannel), .bool(notification.urgent),
                .text(json), Self.milliseconds(time), .text(source.topic), .int(Int(source.partition)),
                .integer(source.offset), meeting.map { .text($0.meetingId) } ?? .null,
                meeting.map { .int($0.sequence) } ?? .null,
            ])
    }

    private static func milliseconds(_ date: Date?) -> SQLValue {
        date.map { .integer(Int64(($0.timeIntervalSince1970 * 1000).rounded())) } ?? .null
    }

    private static func date(_ value: SQLValue) -> Date? {
        value.integer.map { Date(timeIntervalSince1970: Double($0) / 1000) }
    }
}
