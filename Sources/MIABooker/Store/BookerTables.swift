import MIAWorkerRuntime

/// The booker's state, beside the runtime's inbox and outbox, and the constraints that make a double booking
/// impossible.
///
/// - `booker_referrals`: every anvisning booked for, with its chosen insats staff member.
/// - `booker_closed`: referrals ended by an outcome, also one that arrived before its anvisning.
/// - `booker_meetings`: every meeting with its status (`booked`, `cancelled`, `unschedulable`); instants are
///   seconds since the epoch.
/// - `booker_busy`: staff busy periods from `mia.calendar.v1`, replaced by `busy_id`.
/// - `booker_occupancy`: one row per person and 15-minute quantum a booked meeting claims, the buffer after it
///   included. `PRIMARY KEY (person, quantum)` makes two overlapping meetings of one person a constraint
///   violation, whichever process, partition or transaction books them.
/// - `booker_daily_load`: meetings per staff member and local day, with `CHECK (meetings <= max_meetings)`.
/// - `booker_staff_load`: booked meetings per staff member, for choosing the least-loaded insats staff member.
///
/// The handler also checks all of this before it writes (so it can choose another slot); the constraints are
/// what holds when two replicas race. Plain SQL, portable to PostgreSQL.
enum BookerTables {
    static let migrations: [StoreMigration] = [
        StoreMigration(
            id: "booker-001-meetings-occupancy",
            sqlite: [
                """
                CREATE TABLE booker_referrals (
                    referral_id TEXT PRIMARY KEY,
                    participant_ref TEXT NOT NULL,
                    handlaggare_id TEXT NOT NULL,
                    insats_staff_id TEXT,
                    decision_date TEXT NOT NULL,
                    planned_start TEXT NOT NULL,
                    planned_end TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE booker_closed (
                    referral_id TEXT PRIMARY KEY,
                    reason TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE booker_meetings (
                    meeting_id TEXT PRIMARY KEY,
                    referral_id TEXT NOT NULL,
                    participant_ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled', 'unschedulable')),
                    start_at BIGINT,
                    end_at BIGINT,
                    local_day TEXT,
                    location TEXT,
                    handlaggare_id TEXT NOT NULL,
                    insats_staff_id TEXT,
                    sequence INTEGER NOT NULL,
                    reason TEXT,
                    CHECK (status <> 'booked' OR (start_at IS NOT NULL AND end_at > start_at AND local_day IS NOT NULL))
                )
                """,
                "CREATE INDEX booker_meetings_referral ON booker_meetings (referral_id)",
                "CREATE INDEX booker_meetings_start ON booker_meetings (status, start_at)",
                "CREATE INDEX booker_meetings_handlaggare ON booker_meetings (handlaggare_id, start_at)",
                "CREATE INDEX booker_meetings_staff ON booker_meetings (insats_staff_id, start_at)",
                "CREATE INDEX booker_meetings_participant ON booker_meetings (participant_ref, start_at)",
                """
                CREATE TABLE booker_busy (
                    busy_id TEXT PRIMARY KEY,
                    staff_id TEXT NOT NULL,
                    start_at BIGINT NOT NULL,
                    end_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX booker_busy_staff ON booker_busy (staff_id, start_at)",
                """
                CREATE TABLE booker_occupancy (
                    person TEXT NOT NULL,
                    quantum BIGINT NOT NULL,
                    meeting_id TEXT NOT NULL,
                    PRIMARY KEY (person, quantum)
                )
                """,
                "CREATE INDEX booker_occupancy_meeting ON booker_occupancy (meeting_id)",
                """
                CREATE TABLE booker_daily_load (
                    person TEXT NOT NULL,
                    day TEXT NOT NULL,
                    meetings INTEGER NOT NULL,
                    max_meetings INTEGER NOT NULL,
                    PRIMARY KEY (person, day),
                    CHECK (meetings >= 0 AND meetings <= max_meetings)
                )
                """,
            ]),
        // The least-loaded rule counted a staff member's booked meetings on every anvisning, which grows with
        // every meeting ever booked; a counter kept beside the daily load answers it with one row per person.
        StoreMigration(
            id: "booker-002-staff-load",
            sqlite: [
                """
                CREATE TABLE booker_staff_load (
                    person TEXT PRIMARY KEY,
                    meetings INTEGER NOT NULL CHECK (meetings >= 0)
                )
                """,
                """
                INSERT INTO booker_staff_load (person, meetings)
                SELECT person, SUM(meetings) FROM booker_daily_load GROUP BY person
                """,
                // Busy periods overlapping a window are read from the index alone, without a table lookup for
                // each earlier period of the staff member.
                "CREATE INDEX booker_busy_staff_span ON booker_busy (staff_id, start_at, end_at)",
            ]),
        // Occupancy is most of the booker's writes (a row per party and quantum, about 150 an anvisning). Kept in
        // its primary key's b-tree alone: in SQLite a table without rowid, and on both stores without the index by
        // meeting (a released meeting's rows are found by their keys, which its slot and parties give).
        StoreMigration(
            id: "booker-003-occupancy-by-key",
            sqlite: [
                """
                CREATE TABLE booker_occupancy_by_key (
                    person TEXT NOT NULL,
                    quantum BIGINT NOT NULL,
                    meeting_id TEXT NOT NULL,
                    PRIMARY KEY (person, quantum)
                ) WITHOUT ROWID
                """,
                "INSERT INTO booker_occupancy_by_key SELECT person, quantum, meeting_id FROM booker_occupancy",
                "DROP TABLE booker_occupancy",
                "ALTER TABLE booker_occupancy_by_key RENAME TO booker_occupancy",
            ],
            postgres: ["DROP INDEX IF EXISTS booker_occupancy_meeting"]),
    ]
}
