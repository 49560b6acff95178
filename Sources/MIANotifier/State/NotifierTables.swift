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
            ])
    ]

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
}
