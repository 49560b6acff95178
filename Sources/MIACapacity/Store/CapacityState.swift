import MIAContracts
import MIAWorkerRuntime

/// The capacity tables seen through one store transaction: loading a ledger and saving its decisions.
///
/// See ``CapacityTables`` for the schema and the constraints that back every write here.
struct CapacityState {
    let transaction: any StoreTransaction

    init(_ transaction: any StoreTransaction) {
        self.transaction = transaction
    }

    /// Where a referral holds a place or waits, if it does.
    struct Holding {
        var referralId: String
        var asf: AsfActivity
        var waiting: Bool
    }

    // MARK: Declarations

    /// The activities declared for an ASF, in order.
    func activities(of asfId: String) throws -> [String] {
        try transaction.query("SELECT activity FROM capacity_places WHERE asf_id = ? ORDER BY activity", [.text(asfId)])
            .compactMap { $0["activity"].text }
    }

    /// Stores a declaration, replacing the activity's previous one.
    func declare(_ declaration: AsfCapacityDeclared) throws {
        try transaction.execute(
            """
            INSERT INTO capacity_places (asf_id, activity, places, status, from_date) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (asf_id, activity) DO UPDATE
            SET places = excluded.places, status = excluded.status, from_date = excluded.from_date
            """,
            [
                .text(declaration.asfId), .text(declaration.activity), .int(declaration.places),
                .text(declaration.status.rawValue), .text(declaration.fromDate.description),
            ])
    }

    // MARK: Referrals

    /// Where the referral holds a place or waits, or `nil`.
    func holding(referralId: String) throws -> Holding? {
        let row = try transaction.queryOne(
            """
            SELECT asf_id, activity, 0 AS waiting FROM capacity_occupancy WHERE referral_id = ?
            UNION ALL
            SELECT asf_id, activity, 1 AS waiting FROM capacity_waitlist WHERE referral_id = ?
            """,
            [.text(referralId), .text(referralId)])
        guard let row, let asfId = row["asf_id"].text, let activity = row["activity"].text else { return nil }
        return Holding(
            referralId: referralId, asf: AsfActivity(asfId: asfId, activity: activity),
            waiting: row["waiting"].integer == 1)
    }

    /// The referral by which the participant holds a place or waits at the ASF (any activity), or `nil`.
    func referral(of participantRef: String, at asfId: String) throws -> String? {
        try transaction.queryOne(
            """
            SELECT referral_id FROM capacity_occupancy WHERE asf_id = ? AND participant_ref = ?
            UNION ALL
            SELECT referral_id FROM capacity_waitlist WHERE asf_id = ? AND participant_ref = ?
            """,
            [.text(asfId), .text(participantRef), .text(asfId), .text(participantRef)])?["referral_id"].text
    }

    /// Whether the referral has ended, or was closed before its anvisning arrived.
    func isClosed(referralId: String) throws -> Bool {
        try transaction.queryOne("SELECT 1 AS closed FROM capacity_closed WHERE referral_id = ?", [.text(referralId)])
            != nil
    }

    /// Marks a referral as ended, so that it is never placed (again).
    func close(referralId: String, reason: String) throws {
        try transaction.execute(
            "INSERT INTO capacity_closed (referral_id, reason) VALUES (?, ?) ON CONFLICT (referral_id) DO NOTHING",
            [.text(referralId), .text(reason)])
    }

    // MARK: Ledgers

    /// Loads an activity's ledger with enough of the waitlist's front for one change, or `nil` when the
    /// activity was never declared. On PostgreSQL the activity's row stays locked until the transaction ends,
    /// which serialises the changes of one activity across replicas (SQLite serialises all writers).
    ///
    /// - Parameter referralId: A waiting referral the change concerns; the front is loaded at least up to it.
    func ledger(for asf: AsfActivity, through referralId: String? = nil) throws -> CapacityLedger? {
        let lock = transaction.dialect == .postgres ? " FOR UPDATE" : ""
        let key: [SQLValue] = [.text(asf.asfId), .text(asf.activity)]
        guard
            let row = try transaction.queryOne(
                "SELECT places, status, from_date FROM capacity_places WHERE asf_id = ? AND activity = ?" + lock, key),
            let places = row["places"].integer,
            let status = row["status"].text.flatMap(CapacityStatus.init(rawValue:)),
            let availableFrom = row["from_date"].text.flatMap({ CalendarDate($0) })
        else { return nil }
        let occupants = try transaction.query(
            """
            SELECT referral_id, participant_ref, earliest_start FROM capacity_occupancy
            WHERE asf_id = ? AND activity = ? ORDER BY since, referral_id
            """, key
        ).compactMap(Self.candidate)
        let waiting = Int(
            try transaction.queryOne(
                "SELECT COUNT(*) AS n FROM capacity_waitlist WHERE asf_id = ? AND activity = ?", key)?["n"].integer ?? 0
        )
        var front = CapacityLedger.requiredFront(places: Int(places))
        if let referralId {
            let ahead =
                try transaction.queryOne(
                    """
                    SELECT COUNT(*) AS n FROM capacity_waitlist WHERE asf_id = ? AND activity = ?
                    AND seq <= (SELECT seq FROM capacity_waitlist WHERE referral_id = ?)
                    """, key + [.text(referralId)])?["n"].integer ?? 0
            front = max(front, Int(ahead))
        }
        let waitlist = try transaction.query(
            """
            SELECT referral_id, participant_ref, earliest_start FROM capacity_waitlist
            WHERE asf_id = ? AND activity = ? ORDER BY seq LIMIT ?
            """, key + [.int(front)]
        ).compactMap(Self.candidate)
        return CapacityLedger(
            asf: asf, places: Int(places), status: status, availableFrom: availableFrom, occupants: occupants,
            waitlist: waitlist, waitingBeyond: waiting - waitlist.count)
    }

    /// Saves a ledger's decisions, in order. The trigger on `capacity_occupancy` refuses any placement beyond
    /// the places, whatever the ledger decided.
    func save(_ decisions: [CapacityDecision]) throws {
        for decision in decisions {
            let placement = decision.placement
            let candidate = decision.candidate
            let referral: [SQLValue] = [.text(placement.referralId)]
            switch decision.type {
            case .placementWaitlisted:
                try transaction.execute(
                    """
                    INSERT INTO capacity_waitlist (asf_id, activity, referral_id, participant_ref, earliest_start)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                    [
                        .text(placement.asfId), .text(placement.activity), .text(candidate.referralId),
                        .text(candidate.participantRef), .text(candidate.earliestStart.description),
                    ])
            case .placementReserved, .placementPlacedFromWaitlist:
                try transaction.execute("DELETE FROM capacity_waitlist WHERE referral_id = ?", referral)
                try transaction.execute(
                    """
                    INSERT INTO capacity_occupancy (referral_id, asf_id, activity, participant_ref, earliest_start, since)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .text(candidate.referralId), .text(placement.asfId), .text(placement.activity),
                        .text(candidate.participantRef), .text(candidate.earliestStart.description),
                        .text(placement.date.description),
                    ])
            default:
                try transaction.execute("DELETE FROM capacity_occupancy WHERE referral_id = ?", referral)
                try transaction.execute("DELETE FROM capacity_waitlist WHERE referral_id = ?", referral)
                try close(referralId: placement.referralId, reason: decision.type.name)
            }
        }
    }

    private static func candidate(_ row: SQLRow) -> PlacementCandidate? {
        guard let referralId = row["referral_id"].text, let participantRef = row["participant_ref"].text,
            let earliestStart = row["earliest_start"].text.flatMap({ CalendarDate($0) })
        else { return nil }
        return PlacementCandidate(referralId: referralId, participantRef: participantRef, earliestStart: earliestStart)
    }
}
