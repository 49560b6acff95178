/// The runtime's own tables, present in every worker's store.
///
/// - `mia_inbox`: one row per input already handled (by CloudEvents source and id, or by record position for
///   records that could not be decoded), so that redelivery has no second effect; a dead-lettered one keeps the
///   digest of its bytes, so that a corrected record under the same id is handled. Pruned beyond
///   ``WorkerRuntimeConfiguration/inboxHorizon``.
/// - `mia_outbox`: output events (and dead letters) written in the same transaction as the state change,
///   published by the relay in `seq` (commit) order and then marked sent (`sent = 1`), or refused (`sent = 2`)
///   when the broker refused the row for good (it stays, and a small dead letter names it); `tombstone` = 1 for
///   a record with a null value. Sent rows are pruned beyond the last 10,000, except the newest row of each key of
///   a compacted topic, which stays until a newer row of the key is sent (a fenced relay pass may have to send it
///   again).
/// - `mia_relay_lease`: the ``StoreLease``s, one row per name, with their fencing tokens. `outbox` says which process publishes the outbox:
///   replicas sharing a store publish through one relay at a time, so every key's records reach Kafka in commit
///   order (a compacted topic keeps the latest state); when the holder dies, its lease runs out and another
///   replica takes over. Workers add their own (mia-stats: `statistics-publisher`).
public enum RuntimeTables {
    /// The migrations of the runtime's tables, applied by ``WorkerRuntime`` before the handler's own.
    public static let migrations: [StoreMigration] = [
        StoreMigration(
            id: "runtime-001-inbox-outbox",
            sqlite: [
                """
                CREATE TABLE mia_inbox (
                    input_key TEXT PRIMARY KEY,
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    "offset" INTEGER NOT NULL,
                    outcome TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE mia_outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    output_id TEXT NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    record_key BLOB,
                    value BLOB NOT NULL,
                    headers TEXT NOT NULL,
                    sent INTEGER NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX mia_outbox_unsent ON mia_outbox (sent, seq)",
                """
                CREATE TABLE mia_relay_lease (
                    name TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    lease_until INTEGER NOT NULL
                )
                """,
            ],
            postgres: [
                """
                CREATE TABLE mia_inbox (
                    input_key TEXT PRIMARY KEY,
                    topic TEXT NOT NULL,
                    partition INTEGER NOT NULL,
                    "offset" BIGINT NOT NULL,
                    outcome TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE mia_outbox (
                    seq BIGSERIAL PRIMARY KEY,
                    output_id TEXT NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    record_key BYTEA,
                    value BYTEA NOT NULL,
                    headers TEXT NOT NULL,
                    sent INTEGER NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX mia_outbox_unsent ON mia_outbox (sent, seq)",
                """
                CREATE TABLE mia_relay_lease (
                    name TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    lease_until BIGINT NOT NULL
                )
                """,
            ]),
        // The fencing token of ``StoreLease``: it grows with every change of holder.
        StoreMigration(
            id: "runtime-002-lease-token",
            sqlite: ["ALTER TABLE mia_relay_lease ADD COLUMN token INTEGER NOT NULL DEFAULT 0"],
            postgres: ["ALTER TABLE mia_relay_lease ADD COLUMN token BIGINT NOT NULL DEFAULT 0"]),
        // Inbox keys become `<source> <id>` (CloudEvents ids are unique per source; rows from before keep their
        // bare id), a dead-lettered input remembers the digest of its bytes, and every row when it was handled,
        // for pruning beyond the horizon. Rows from before count as handled now.
        StoreMigration(
            id: "runtime-003-inbox-identity",
            sqlite: [
                "ALTER TABLE mia_inbox ADD COLUMN digest TEXT",
                "ALTER TABLE mia_inbox ADD COLUMN handled_at INTEGER NOT NULL DEFAULT 0",
                "UPDATE mia_inbox SET handled_at = \(SQLDialect.sqlite.nowMilliseconds)",
                "CREATE INDEX mia_inbox_handled ON mia_inbox (handled_at)",
            ],
            postgres: [
                "ALTER TABLE mia_inbox ADD COLUMN digest TEXT",
                "ALTER TABLE mia_inbox ADD COLUMN handled_at BIGINT NOT NULL DEFAULT 0",
                "UPDATE mia_inbox SET handled_at = \(SQLDialect.postgres.nowMilliseconds)",
                "CREATE INDEX mia_inbox_handled ON mia_inbox (handled_at)",
            ]),
        // A tombstone (null value) stays one through the outbox: a dead letter of a tombstone is a tombstone.
        StoreMigration(
            id: "runtime-004-outbox-tombstone",
            sqlite: ["ALTER TABLE mia_outbox ADD COLUMN tombstone INTEGER NOT NULL DEFAULT 0"],
            postgres: ["ALTER TABLE mia_outbox ADD COLUMN tombstone INTEGER NOT NULL DEFAULT 0"]),
        // The rows of compacted topics by key: a newer row sent drops the older ones, and a relay pass fenced by a
        // successor sends the newest one again. Partial, so that other outputs pay nothing for it; the queries
        // repeat its condition (``OutboxRelay/compactedTopicList``) for both databases to use it.
        StoreMigration(
            id: "runtime-005-outbox-compacted-keys",
            sqlite: [
                "CREATE INDEX mia_outbox_compacted ON mia_outbox (topic, record_key, seq) WHERE topic IN (\(OutboxRelay.compactedTopicList))"
            ],
            postgres: [
                "CREATE INDEX mia_outbox_compacted ON mia_outbox (topic, record_key, seq) WHERE topic IN (\(OutboxRelay.compactedTopicList))"
            ]),
    ]
}
