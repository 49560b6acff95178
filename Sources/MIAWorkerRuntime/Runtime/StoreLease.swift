import Foundation

/// A named right, held by one worker process at a time among the replicas that share a store: which replica
/// relays the outbox (`outbox`), which one recomputes a worker's derived figures, and the like.
///
/// The holder renews it each time it acts; when the holder dies, the lease runs out after ``duration`` and
/// another replica takes it. Leases live in `mia_relay_lease`, one row per name, and are taken inside a write
/// transaction, so taking one is serialised with every other write of the store.
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

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    var until: Int64 { Self.now() + Int64(duration.components.seconds * 1000) }
}

extension StoreTransaction {
    /// Takes or renews `lease`; returns whether this process holds it (it does when nobody else holds it or
    /// the holder's lease ran out).
    public func acquire(_ lease: StoreLease) throws -> Bool {
        try execute(
            """
            INSERT INTO mia_relay_lease (name, owner, lease_until) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
            WHERE mia_relay_lease.owner = excluded.owner OR mia_relay_lease.lease_until < ?
            """,
            [.text(lease.name), .text(lease.owner), .integer(lease.until), .integer(StoreLease.now())])
        return try queryOne("SELECT owner FROM mia_relay_lease WHERE name = ?", [.text(lease.name)])?["owner"].text
            == lease.owner
    }

    /// Gives `lease` up if this process holds it, so that another replica can take it at once.
    public func release(_ lease: StoreLease) throws {
        try execute(
            "UPDATE mia_relay_lease SET lease_until = 0 WHERE name = ? AND owner = ?",
            [.text(lease.name), .text(lease.owner)])
    }
}
