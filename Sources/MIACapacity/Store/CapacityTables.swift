import MIAWorkerRuntime

/// The capacity worker's state, beside the runtime's inbox and outbox, and the constraints that keep it sound.
///
/// - `capacity_places`: the current declaration of each ASF activity: places, status and first day.
/// - `capacity_occupancy`: one row per participant holding a place.
/// - `capacity_waitlist`: one row per waiting participant; `seq` is the order of arrival (first in, first out).
/// - `capacity_closed`: referrals that have ended (released, withdrawn, or closed by an outcome or withdrawal
///   that arrived before the anvisning); such a referral is never placed again.
///
/// The invariants are the database's, not only the handler's, so that they hold with several replicas on one
/// store and with redelivered input:
/// - **Occupancy never exceeds the places.** A `CHECK (occupied <= places)` cannot hold while a decrease leaves
///   more occupants than places, so the rule is enforced where a place is taken: a trigger refuses an insert
///   into `capacity_occupancy` unless the activity is active and its occupancy is below its places. Every
///   change of an activity runs in one write transaction; SQLite serialises writers across processes, and on
///   PostgreSQL the handler locks the activity's `capacity_places` row (`SELECT ... FOR UPDATE`) first.
/// - **Never placed twice at the same ASF.** `UNIQUE (asf_id, participant_ref)` on the occupancy and on the
///   waitlist, and the referral id is the primary key of the occupancy, unique on the waitlist and in
///   `capacity_closed`.
/// - Occupancy rows are inserted and deleted, never updated.
enum CapacityTables {
    static let migrations: [StoreMigration] = [
        StoreMigration(
            id: "capacity-001-places-occupancy-waitlist",
            sqlite: [
                places,
                occupancy,
                """
                CREATE TABLE capacity_waitlist (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    asf_id TEXT NOT NULL,
                    activity TEXT NOT NULL,
                    referral_id TEXT NOT NULL UNIQUE,
                    participant_ref TEXT NOT NULL,
                    earliest_start TEXT NOT NULL,
                    UNIQUE (asf_id, participant_ref)
                )
                """,
                waitlistOrder,
                closed,
                """
                CREATE TRIGGER capacity_occupancy_within_places BEFORE INSERT ON capacity_occupancy
                WHEN NOT EXISTS (\(placeAvailable))
                BEGIN
                    SELECT RAISE(ABORT, 'capacity exceeded: the activity is paused or every place is taken');
                END
                """,
            ],
            postgres: [
                places,
                occupancy,
                """
                CREATE TABLE capacity_waitlist (
                    seq BIGSERIAL PRIMARY KEY,
                    asf_id TEXT NOT NULL,
                    activity TEXT NOT NULL,
                    referral_id TEXT NOT NULL UNIQUE,
                    participant_ref TEXT NOT NULL,
                    earliest_start TEXT NOT NULL,
                    UNIQUE (asf_id, participant_ref)
                )
                """,
                waitlistOrder,
                closed,
                """
                CREATE FUNCTION capacity_occupancy_within_places() RETURNS trigger AS $$
                BEGIN
                    IF NOT EXISTS (\(placeAvailable)) THEN
                        RAISE EXCEPTION 'capacity exceeded: the activity is paused or every place is taken';
                    END IF;
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql
                """,
                """
                CREATE TRIGGER capacity_occupancy_within_places BEFORE INSERT ON capacity_occupancy
                FOR EACH ROW EXECUTE FUNCTION capacity_occupancy_within_places()
                """,
            ])
    ]

    private static let places = """
        CREATE TABLE capacity_places (
            asf_id TEXT NOT NULL,
            activity TEXT NOT NULL,
            places INTEGER NOT NULL CHECK (places >= 0),
            status TEXT NOT NULL CHECK (status IN ('active', 'paused')),
            from_date TEXT NOT NULL,
            PRIMARY KEY (asf_id, activity)
        )
        """

    private static let occupancy = """
        CREATE TABLE capacity_occupancy (
            referral_id TEXT PRIMARY KEY,
            asf_id TEXT NOT NULL,
            activity TEXT NOT NULL,
            participant_ref TEXT NOT NULL,
            earliest_start TEXT NOT NULL,
            since TEXT NOT NULL,
            UNIQUE (asf_id, participant_ref)
        )
        """

    private static let waitlistOrder =
        "CREATE INDEX capacity_waitlist_order ON capacity_waitlist (asf_id, activity, seq)"

    private static let closed = """
        CREATE TABLE capacity_closed (
            referral_id TEXT PRIMARY KEY,
            reason TEXT NOT NULL
        )
        """

    /// True when the row `NEW` may take a place: its activity is active and below its places.
    private static let placeAvailable = """
        SELECT 1 FROM capacity_places p
        WHERE p.asf_id = NEW.asf_id AND p.activity = NEW.activity AND p.status = 'active'
        AND p.places > (SELECT COUNT(*) FROM capacity_occupancy o WHERE o.asf_id = NEW.asf_id AND o.activity = NEW.activity)
        """
}
