import MIAWorkerRuntime

/// The notifier's state, beside the runtime's inbox and outbox.
///
/// - `notifier_referrals`: who referred each referral (handläggare id, agency, contact channel) and the agency's
///   case reference; the recipient of every later notification about it.
/// - `notifier_meetings`: the last known time and place of each meeting, for cancellations that carry none.
/// - `notifier_pending`: notices whose referral is not known yet (topics are not ordered relative to each
///   other), sent when the anvisning arrives. They hold no participant reference.
/// - `notifier_deliveries`: one row per notification sent, by notification id, so that a fact is told once
///   per handläggare even when it arrives again in an event with another id.
/// - `notifier_outgoing`: the delivery ledger of direct channels (webhook, e-mail): one row per notification and
///   per digest, with its state (`new`, `held` for a digest, `pending`, `sending` while an attempt holds it,
///   `digested`, `superseded` when a digest carries a later state of the same meeting, `delivered`, `dead`), when
///   it is next due (ms since the epoch), since when it is pending (its horizon counts from there), since when it
///   is held, the input record it was made from, its meeting and the meeting's sequence, the attempts made, the
///   replays, the last result and when it was delivered. See ``DeliveryLedger``.
enum NotifierTables {
    static let migrations: [StoreMigration] = [
        StoreMigration(
            id: "notifier-001-referrals-meetings-pending-deliveries",
            sqlite: [
                referrals,
                meetings,
                """
                CREATE TABLE notifier_pending (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    referral_id TEXT NOT NULL,
                    occurrence TEXT NOT NULL,
                    notice TEXT NOT NULL,
                    UNIQUE (referral_id, occurrence)
                )
                """,
                deliveries,
            ],
            postgres: [
                referrals,
                meetings,
                """
                CREATE TABLE notifier_pending (
                    seq BIGSERIAL PRIMARY KEY,
                    referral_id TEXT NOT NULL,
                    occurrence TEXT NOT NULL,
                    notice TEXT NOT NULL,
                    UNIQUE (referral_id, occurrence)
                )
                """,
                deliveries,
            ]),
        StoreMigration(
            id: "notifier-002-outgoing",
            sqlite: [outgoing(sequence: "INTEGER PRIMARY KEY AUTOINCREMENT")] + outgoingIndexes,
            postgres: [outgoing(sequence: "BIGSERIAL PRIMARY KEY")] + outgoingIndexes),
        // Retry by time: the horizon counts from `pending_ms`; held digests follow the configuration by `held_ms`;
        // dead letters name their input record; digests keep each meeting's latest state; replays are counted.
        StoreMigration(
            id: "notifier-003-horizons-sources-meetings",
            sqlite: horizonColumns(integer: "INTEGER"),
            postgres: horizonColumns(integer: "BIGINT")),
    ]

    private static func horizonColumns(integer: String) -> [String] {
        [
            "ALTER TABLE notifier_outgoing ADD COLUMN pending_ms \(integer)",
            "ALTER TABLE notifier_outgoing ADD COLUMN held_ms \(integer)",
            "ALTER TABLE notifier_outgoing ADD COLUMN source_topic TEXT",
            "ALTER TABLE notifier_outgoing ADD COLUMN source_partition INTEGER",
            "ALTER TABLE notifier_outgoing ADD COLUMN source_offset \(integer)",
            "ALTER TABLE notifier_outgoing ADD COLUMN meeting_id TEXT",
            "ALTER TABLE notifier_outgoing ADD COLUMN meeting_sequence INTEGER",
            "ALTER TABLE notifier_outgoing ADD COLUMN replays INTEGER NOT NULL DEFAULT 0",
            "UPDATE notifier_outgoing SET pending_ms = COALESCE(due_ms, time_ms) WHERE status = 'pending'",
            "UPDATE notifier_outgoing SET held_ms = time_ms WHERE status = 'held'",
            "CREATE INDEX notifier_outgoing_agency_due ON notifier_outgoing (status, agency, due_ms)",
        ]
    }

    private static let referrals = """
        CREATE TABLE notifier_referrals (
            referral_id TEXT PRIMARY KEY,
            handlaggare_id TEXT NOT NULL,
            agency TEXT NOT NULL,
            contact_channel TEXT NOT NULL,
            agency_case_ref TEXT NOT NULL
        )
        """

    /// Times in milliseconds since the epoch.
    private static let meetings = """
        CREATE TABLE notifier_meetings (
            meeting_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            start_ms BIGINT,
            end_ms BIGINT,
            location TEXT
        )
        """

    private static let deliveries = """
        CREATE TABLE notifier_deliveries (
            notification_id TEXT PRIMARY KEY,
            referral_id TEXT NOT NULL,
            handlaggare_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            occurrence TEXT NOT NULL
        )
        """

    /// The delivery ledger; `notification` is the notification as JSON (`NULL` for a digest, whose notifications
    /// are the rows with its `digest_id`), times are in milliseconds since the epoch.
    private static func outgoing(sequence: String) -> String {
        """
        CREATE TABLE notifier_outgoing (
            seq \(sequence),
            delivery_id TEXT NOT NULL UNIQUE,
            channel TEXT NOT NULL,
            agency TEXT NOT NULL,
            handlaggare_id TEXT NOT NULL,
            contact_channel TEXT NOT NULL,
            urgent INTEGER NOT NULL,
            notification TEXT,
            time_ms BIGINT NOT NULL,
            status TEXT NOT NULL,
            due_ms BIGINT,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_result TEXT,
            delivered_ms BIGINT,
            digest_id TEXT
        )
        """
    }

    private static let outgoingIndexes = [
        "CREATE INDEX notifier_outgoing_due ON notifier_outgoing (status, due_ms)",
        "CREATE INDEX notifier_outgoing_digest ON notifier_outgoing (digest_id)",
    ]
}
