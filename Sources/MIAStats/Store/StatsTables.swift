import MIAWorkerRuntime

/// The statistics worker's state, beside the runtime's inbox and outbox.
///
/// - `stats_referral`: the start attributes of each referral (no participant reference, no personal data).
/// - `stats_outcome`: the end of each referral; kept even when its referral has not arrived yet.
/// - `stats_revision`: a counter bumped by every fact change, so the publisher knows when to recompute, and the
///   revision last published (by whichever replica held the publisher's lease).
/// - `stats_published`: the signature of the last published record of every cell key and its version (the version makes the
///   outbox id of each new value unique, so a value that changes back is published again).
///
/// A referral or outcome seen twice (redelivery, or the same referral under another event id) is stored once:
/// the row from the smallest event id wins, whatever the order of arrival, so the facts are a function of the
/// set of events.
enum StatsTables {
    static let migrations: [StoreMigration] = [
        StoreMigration(
            id: "stats-001-facts-published",
            sqlite: [
                """
                CREATE TABLE stats_referral (
                    referral_id TEXT PRIMARY KEY,
                    event_id TEXT NOT NULL,
                    delprojekt TEXT NOT NULL,
                    insats_type TEXT NOT NULL,
                    gender TEXT NOT NULL,
                    start_date TEXT NOT NULL,
                    age INTEGER,
                    employment_status TEXT NOT NULL,
                    education_level TEXT NOT NULL,
                    disadvantages TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE stats_outcome (
                    referral_id TEXT PRIMARY KEY,
                    event_id TEXT NOT NULL,
                    end_date TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    in_education_or_training INTEGER NOT NULL,
                    gained_qualification INTEGER NOT NULL,
                    newly_job_seeking INTEGER NOT NULL
                )
                """,
                "CREATE TABLE stats_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL)",
                "INSERT INTO stats_revision (id, revision) VALUES (1, 0)",
                """
                CREATE TABLE stats_published (
                    cell_key TEXT PRIMARY KEY,
                    record TEXT NOT NULL,
                    version INTEGER NOT NULL
                )
                """,
            ]),
        StoreMigration(
            id: "stats-002-published-revision",
            sqlite: ["ALTER TABLE stats_revision ADD COLUMN published_revision INTEGER NOT NULL DEFAULT -1"]),
    ]
}
