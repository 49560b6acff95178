import MIAContracts
import MIAWorkerRuntime

/// The statistics facts seen through one store transaction. See ``StatsTables``.
public struct StatsFacts {
    let transaction: any StoreTransaction

    /// Wraps a transaction of a store migrated with the statistics handler's migrations.
    public init(_ transaction: any StoreTransaction) {
        self.transaction = transaction
    }

    /// Stores a referral's start attributes; returns whether the facts changed.
    @discardableResult
    func record(_ fact: ParticipationFact, eventId: String) throws -> Bool {
        let changed = try transaction.execute(
            """
            INSERT INTO stats_referral (referral_id, event_id, delprojekt, insats_type, gender, start_date, age,
                employment_status, education_level, disadvantages)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (referral_id) DO UPDATE SET event_id = excluded.event_id, delprojekt = excluded.delprojekt,
                insats_type = excluded.insats_type, gender = excluded.gender, start_date = excluded.start_date,
                age = excluded.age, employment_status = excluded.employment_status,
                education_level = excluded.education_level, disadvantages = excluded.disadvantages
            WHERE excluded.event_id < stats_referral.event_id
            """,
            [
                .text(fact.referralId), .text(eventId), .text(fact.delprojekt.rawValue),
                .text(fact.insatsType.rawValue), .text(fact.gender.rawValue), .text(fact.start.description),
                fact.age.map { .int($0) } ?? .null, .text(fact.employmentStatus.rawValue),
                .text(fact.educationLevel.rawValue),
                .text(fact.disadvantages.map(\.rawValue).sorted().joined(separator: ",")),
            ])
        return try bump(changed)
    }

    /// Stores a referral's end; returns whether the facts changed.
    @discardableResult
    func record(_ end: ParticipationEnd, referralId: String, eventId: String) throws -> Bool {
        let changed = try transaction.execute(
            """
            INSERT INTO stats_outcome (referral_id, event_id, end_date, outcome, in_education_or_training,
                gained_qualification, newly_job_seeking)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (referral_id) DO UPDATE SET event_id = excluded.event_id, end_date = excluded.end_date,
                outcome = excluded.outcome, in_education_or_training = excluded.in_education_or_training,
                gained_qualification = excluded.gained_qualification, newly_job_seeking = excluded.newly_job_seeking
            WHERE excluded.event_id < stats_outcome.event_id
            """,
            [
                .text(referralId), .text(eventId), .text(end.endDate.description), .text(end.outcome.rawValue),
                .bool(end.inEducationOrTraining), .bool(end.gainedQualification), .bool(end.newlyJobSeeking),
            ])
        return try bump(changed)
    }

    private func bump(_ changed: Int) throws -> Bool {
        guard changed > 0 else { return false }
        try transaction.execute("UPDATE stats_revision SET revision = revision + 1 WHERE id = 1")
        return true
    }

    /// The revision of the facts: it grows with every change.
    public func revision() throws -> Int64 {
        try transaction.queryOne("SELECT revision FROM stats_revision WHERE id = 1", [])?["revision"].integer ?? 0
    }

    /// The revision of the facts the statistics topic was last brought up to date with, by any replica; -1
    /// before the first publication.
    public func publishedRevision() throws -> Int64 {
        try transaction.queryOne("SELECT published_revision FROM stats_revision WHERE id = 1", [])?[
            "published_revision"
        ].integer ?? -1
    }

    /// Records that every cell of the facts at `revision` is queued for publication.
    func setPublishedRevision(_ revision: Int64) throws {
        try transaction.execute(
            "UPDATE stats_revision SET published_revision = ? WHERE id = 1", [.integer(revision)])
    }

    /// Every participation with a known referral, its end joined when known, in referral-id order.
    ///
    /// Read in pages by referral id (keyset pagination), so that only one page of rows is held as rows at a time
    /// beside the facts: a programme of hundreds of thousands of participations read at once held its rows
    /// several times over.
    public func all(pageSize: Int = 5_000) throws -> [ParticipationFact] {
        var facts: [ParticipationFact] = []
        var after = ""
        while true {
            let rows = try transaction.query(
                """
                SELECT r.referral_id, r.delprojekt, r.insats_type, r.gender, r.start_date, r.age, r.employment_status,
                    r.education_level, r.disadvantages, o.end_date, o.outcome, o.in_education_or_training,
                    o.gained_qualification, o.newly_job_seeking
                FROM stats_referral r LEFT JOIN stats_outcome o ON o.referral_id = r.referral_id
                WHERE r.referral_id > ? ORDER BY r.referral_id LIMIT ?
                """, [.text(after), .int(pageSize)])
            facts += rows.compactMap(Self.fact)
            guard rows.count == pageSize, let last = rows.last?["referral_id"].text else { return facts }
            after = last
        }
    }

    private static func fact(_ row: SQLRow) -> ParticipationFact? {
        guard let referralId = row["referral_id"].text,
            let delprojekt = row["delprojekt"].text.flatMap(Delprojekt.init(rawValue:)),
            let insats = row["insats_type"].text.flatMap(InsatsType.init(rawValue:)),
            let gender = row["gender"].text.flatMap(LegalGender.init(rawValue:)),
            let start = row["start_date"].text.flatMap({ CalendarDate($0) }),
            let employment = row["employment_status"].text.flatMap(EmploymentStatus.init(rawValue:)),
            let education = row["education_level"].text.flatMap(EducationLevel.init(rawValue:))
        else { return nil }
        let disadvantages = (row["disadvantages"].text ?? "").split(separator: ",").compactMap {
            Disadvantage(rawValue: String($0))
        }
        var end: ParticipationEnd?
        if let endDate = row["end_date"].text.flatMap({ CalendarDate($0) }),
            let outcome = row["outcome"].text.flatMap(OutcomeKind.init(rawValue:))
        {
            end = ParticipationEnd(
                endDate: endDate, outcome: outcome, inEducationOrTraining: row["in_education_or_training"].integer == 1,
                gainedQualification: row["gained_qualification"].integer == 1,
                newlyJobSeeking: row["newly_job_seeking"].integer == 1)
        }
        return ParticipationFact(
            referralId: referralId, delprojekt: delprojekt, insatsType: insats, gender: gender, start: start,
            age: row["age"].integer.map { Int($0) }, employmentStatus: employment, educationLevel: education,
            disadvantages: Set(disadvantages), end: end)
    }
}
