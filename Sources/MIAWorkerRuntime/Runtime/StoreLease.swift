/// A named right, held by one worker process at a time among the replicas that share a store: which replica
/// relays the outbox (`outbox`), which one recomputes a worker's derived figures, and the like.
///
/// The holder renews it each time it acts; when the holder dies, the lease runs out after ``duration`` and
/// another replica takes it. Leases live in `mia_relay_lease`, one row per name, and are taken inside a write
/// transaction, so taking one is serialised with every other write of the store. Lease times come from the
/// database's clock, never from a host's, so replicas on hosts whose clocks disagree still agree on who holds
/// it. Each change of holder increases the lease's fencing token: a holder that was frozen past its lease and
/// comes back finds its token outdated (``StoreTransaction/holds(_:token:)``) and its late writes are refused.
public struct StoreLease: Sendable, Hashable {
    /// What the lease is for; one holder per name.
    public var name: String
    /// This process's id.
    public var owner: String
    /// How long the lease lasts without renewal: how long a dead holder's work waits for another replica.
    public var duration: Duration

    /// Creates a lease for `owner`, a process-unique id.
    public init(name: String, owner: String, duration: Duration = .seconds(15)) {
        self.name = name
        self.owner = owner
        self.duration = duration
    }
}

extension StoreTransaction {
    /// Takes or renews `lease`; returns whether this process holds it (it does when nobody else holds it or
    /// the holder's lease ran out).
    @discardableResult
    public func acquire(_ lease: StoreLease) throws -> Bool {
        try take(lease) != nil
    }

    /// Takes or renews `lease`, returning its fencing token when this process holds it, nil when another does.
    ///
    /// The token changes whenever the lease passes to another holder; check it with ``holds(_:token:)`` in the
    /// transaction that writes what the lease guards.
    public func take(_ lease: StoreLease) throws -> Int64? {
        let now = dialect.nowMilliseconds
        try execute(
            """
            INSERT INTO mia_relay_lease (name, owner, lease_until, token) VALUES (?, ?, \(now) + ?, 1)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until,
                token = CASE WHEN mia_relay_lease.owner = excluded.owner THEN mia_relay_lease.token
                        ELSE mia_relay_lease.token + 1 END
            WHERE mia_relay_lease.owner = excluded.owner OR mia_relay_lease.lease_until < \(now)
            """,
            [.text(lease.name), .text(lease.owner), .integer(lease.duration.wholeMilliseconds)])
        let row = try queryOne("SELECT owner, token FROM mia_relay_lease WHERE name = ?", [.text(lease.name)])
        guard row?["owner"].text == lease.owner else { return nil }
        return row?["token"].integer
    }

    /// Whether this process still holds `lease` under `token`, by the database's clock: false when the lease ran
    /// out or passed to another holder since ``take(_:)`` returned the token.
    public func holds(_ lease: StoreLease, token: Int64) throws -> Bool {
        try queryOne(
            """
            SELECT 1 AS held FROM mia_relay_lease
            WHERE name = ? AND owner = ? AND token = ? AND lease_until >= \(dialect.nowMilliseconds)
            """,
            [.text(lease.name), .text(lease.owner), .integer(token)]) != nil
    }

    /// Gives `lease` up if this process holds it, so that another replica can take it at once.
    public func release(_ lease: StoreLease) throws {
        try execute(
            "UPDATE mia_relay_lease SET lease_until = 0 WHERE name = ? AND owner = ?",
            [.text(lease.name), .text(lease.owner)])
    }
}
