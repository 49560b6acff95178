import Foundation
import MIAContracts
import MIAWorkerRuntime

/// The booker tables seen through one store transaction. See ``BookerTables`` for the schema and the
/// constraints behind every write here.
struct BookerState {
    let transaction: any StoreTransaction
    let rules: BookerConfiguration

    static func staffKey(_ id: String) -> String { "staff:" + id }
    static func participantKey(_ ref: String) -> String { "participant:" + ref }

    // MARK: Referrals

    func hasReferral(_ referralId: String) throws -> Bool {
        try transaction.queryOne("SELECT 1 AS found FROM booker_referrals WHERE referral_id = ?", [.text(referralId)])
            != nil
    }

    func isClosed(_ referralId: String) throws -> Bool {
        try transaction.queryOne("SELECT 1 AS found FROM booker_closed WHERE referral_id = ?", [.text(referralId)])
            != nil
    }

    func close(_ referralId: String, reason: String) throws {
        try transaction.execute(
            "INSERT INTO booker_closed (referral_id, reason) VALUES (?, ?) ON CONFLICT (referral_id) DO NOTHING",
            [.text(referralId), .text(reason)])
    }

    func insertReferral(_ referral: ReferralCreated, insatsStaffId: String?) throws {
        try transaction.execute(
            """
            INSERT INTO booker_referrals (referral_id, participant_ref, handlaggare_id, insats_staff_id, decision_date,
            planned_start, planned_end) VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(referral.referralId), .text(referral.participantRef), .text(referral.handlaggare.id),
                .text(insatsStaffId), .text(referral.decisionDate.description),
                .text(referral.plannedStart.description), .text(referral.plannedEnd.description),
            ])
    }

    /// A referral as booked: its parties and its plan's dates.
    struct Referral {
        var handlaggareId: String
        var insatsStaffId: String?
        var decisionDate: CalendarDate
        var plannedStart: CalendarDate
    }

    func referral(_ referralId: String) throws -> Referral? {
        guard
            let row = try transaction.queryOne(
                "SELECT * FROM booker_referrals WHERE referral_id = ?", [.text(referralId)]),
            let handlaggareId = row["handlaggare_id"].text,
            let decisionDate = row["decision_date"].text.flatMap({ CalendarDate($0) }),
            let plannedStart = row["planned_start"].text.flatMap({ CalendarDate($0) })
        else { return nil }
        return Referral(
            handlaggareId: handlaggareId, insatsStaffId: row["insats_staff_id"].text, decisionDate: decisionDate,
            plannedStart: plannedStart)
    }

    func setPlannedEnd(_ end: CalendarDate, of referralId: String) throws {
        try transaction.execute(
            "UPDATE booker_referrals SET planned_end = ? WHERE referral_id = ?",
            [.text(end.description), .text(referralId)])
    }

    /// The staff member with the fewest booked meetings; the first in `staff` order on a tie.
    func leastLoaded(of staff: [String]) throws -> String? {
        guard !staff.isEmpty else { return nil }
        let placeholders = Array(repeating: "?", count: staff.count).joined(separator: ", ")
        let rows = try transaction.query(
            "SELECT person, meetings FROM booker_staff_load WHERE person IN (\(placeholders))",
            staff.map { .text(Self.staffKey($0)) })
        var load: [String: Int64] = [:]
        for row in rows { if let person = row["person"].text { load[person] = row["meetings"].integer ?? 0 } }
        return staff.min { load[Self.staffKey($0), default: 0] < load[Self.staffKey($1), default: 0] }
    }

    // MARK: Schedules

    /// The instants whose meetings and busy periods can touch a slot on `days`: a day's margin on both sides of
    /// the days covers every buffer. `nil` for no days.
    static func reach(of days: [CalendarDate], calendar: WorkingCalendar) -> Range<Date>? {
        guard let first = days.first, let last = days.last else { return nil }
        let from = calendar.instant(first, minute: 0).addingTimeInterval(-86_400)
        return from..<calendar.instant(last, minute: 0).addingTimeInterval(2 * 86_400)
    }

    /// What the slot finder needs of one party over `days`: meetings, busy periods and meetings per day.
    ///
    /// - Parameters:
    ///   - staffId: The staff id, or `nil` for the participant `participantRef`.
    ///   - excluding: A meeting to leave out (the one being moved).
    func schedule(
        staffId: String?, participantRef: String, days: [CalendarDate], calendar: WorkingCalendar,
        excluding: String? = nil
    ) throws -> PartySchedule {
        guard let first = days.first, let last = days.last, let reach = Self.reach(of: days, calendar: calendar) else {
            return PartySchedule(person: "", isStaff: staffId != nil)
        }
        let from = Self.seconds(reach.lowerBound)
        let to = Self.seconds(reach.upperBound)
        // A meeting never lasts a day, so its start lies within a day before the window: that lower bound keeps
        // each lookup to an index range of the window instead of every earlier meeting of the person.
        let window: [SQLValue] = [.integer(to), .integer(from - 86_400), .integer(from), .text(excluding ?? "")]
        let range = "start_at < ? AND start_at > ? AND end_at > ? AND meeting_id <> ? AND status = 'booked'"
        let meetings: [SQLRow]
        let person: String
        if let staffId {
            person = Self.staffKey(staffId)
            // Two index ranges (a person attends as handläggare or as insats staff) rather than an OR, which
            // SQLite can only answer by scanning every booked meeting.
            meetings = try transaction.query(
                """
                SELECT start_at, end_at FROM booker_meetings WHERE handlaggare_id = ? AND \(range)
                UNION ALL
                SELECT start_at, end_at FROM booker_meetings WHERE insats_staff_id = ? AND \(range)
                """, [.text(staffId)] + window + [.text(staffId)] + window)
        } else {
            person = Self.participantKey(participantRef)
            meetings = try transaction.query(
                "SELECT start_at, end_at FROM booker_meetings WHERE participant_ref = ? AND \(range)",
                [.text(participantRef)] + window)
        }
        var schedule = PartySchedule(person: person, isStaff: staffId != nil, meetings: meetings.compactMap(Self.range))
        guard let staffId else { return schedule }
        schedule.busy = try transaction.query(
            "SELECT start_at, end_at FROM booker_busy WHERE staff_id = ? AND start_at < ? AND end_at > ?",
            [.text(staffId), .integer(to), .integer(from)]
        ).compactMap(Self.range)
        for row in try transaction.query(
            "SELECT day, meetings FROM booker_daily_load WHERE person = ? AND day >= ? AND day <= ?",
            [.text(person), .text(first.description), .text(last.description)])
        {
            if let day = row["day"].text.flatMap({ CalendarDate($0) }), let count = row["meetings"].integer {
                schedule.meetingsPerDay[day] = Int(count)
            }
        }
        return schedule
    }

    private static func range(_ row: SQLRow) -> Range<Date>? {
        guard let start = row["start_at"].integer, let end = row["end_at"].integer, end >= start else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(start))..<Date(timeIntervalSince1970: TimeInterval(end))
    }

    // MARK: Busy periods

    /// Stores a busy period, replacing an earlier one with the same id.
    func storeBusy(_ busy: CalendarBusy) throws {
        try transaction.execute(
            """
            INSERT INTO booker_busy (busy_id, staff_id, start_at, end_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (busy_id) DO UPDATE SET staff_id = excluded.staff_id, start_at = excluded.start_at,
            end_at = excluded.end_at
            """,
            [
                .text(busy.busyId), .text(busy.staffId), .integer(Self.seconds(busy.start)),
                .integer(Self.seconds(busy.end)),
            ])
    }

    // MARK: Meetings

    func meeting(_ meetingId: String) throws -> StoredMeeting? {
        try transaction.queryOne("SELECT * FROM booker_meetings WHERE meeting_id = ?", [.text(meetingId)])
            .flatMap(StoredMeeting.init)
    }

    /// The booked meetings of a referral that start after `instant`, in time order.
    func bookedMeetings(of referralId: String, startingAfter instant: Date) throws -> [StoredMeeting] {
        try transaction.query(
            """
            SELECT * FROM booker_meetings WHERE referral_id = ? AND status = 'booked' AND start_at > ?
            ORDER BY start_at, meeting_id
            """, [.text(referralId), .integer(Self.seconds(instant))]
        ).compactMap(StoredMeeting.init)
    }

    /// The booked meetings a staff member attends that overlap `range`, in time order.
    func bookedMeetings(of staffId: String, overlapping range: Range<Date>) throws -> [StoredMeeting] {
        // Index ranges per role, bounded below by a day (no meeting lasts longer), as in `schedule`.
        let bounds: [SQLValue] = [
            .integer(Self.seconds(range.upperBound.addingTimeInterval(0.999))),
            .integer(Self.seconds(range.lowerBound) - 86_400), .integer(Self.seconds(range.lowerBound)),
        ]
        let condition = "start_at < ? AND start_at > ? AND end_at > ? AND status = 'booked'"
        return try transaction.query(
            """
            SELECT * FROM booker_meetings WHERE handlaggare_id = ? AND \(condition)
            UNION
            SELECT * FROM booker_meetings WHERE insats_staff_id = ? AND \(condition)
            ORDER BY start_at, meeting_id
            """, [.text(staffId)] + bounds + [.text(staffId)] + bounds
        ).compactMap(StoredMeeting.init)
    }

    /// Inserts or replaces a meeting row; a booked one also claims its parties' time (see ``claim(_:)``).
    func save(_ meeting: StoredMeeting) throws {
        try transaction.execute(
            """
            INSERT INTO booker_meetings (meeting_id, referral_id, participant_ref, kind, status, start_at, end_at,
            local_day, location, handlaggare_id, insats_staff_id, sequence, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (meeting_id) DO UPDATE SET status = excluded.status, start_at = excluded.start_at,
            end_at = excluded.end_at, local_day = excluded.local_day, location = excluded.location,
            sequence = excluded.sequence, reason = excluded.reason
            """,
            [
                .text(meeting.meetingId), .text(meeting.referralId), .text(meeting.participantRef),
                .text(meeting.kind.rawValue), .text(meeting.status.rawValue),
                meeting.slot.map { .integer(Self.seconds($0.start)) } ?? .null,
                meeting.slot.map { .integer(Self.seconds($0.end)) } ?? .null,
                .text(meeting.slot?.day.description), .text(meeting.location), .text(meeting.handlaggareId),
                .text(meeting.insatsStaffId), .int(meeting.sequence), .text(meeting.reason),
            ])
        if meeting.status == .booked { try claim(meeting) }
    }

    /// Inserts the occupancy quanta of a booked meeting (buffer included) for every party and counts it in the
    /// staff's daily load. The primary key and the check make an overlap or an excess a constraint violation.
    func claim(_ meeting: StoredMeeting) throws {
        guard let slot = meeting.slot else { return }
        let quantum = Int64(BookerConfiguration.quantumMinutes * 60)
        let first = Self.seconds(slot.start) / quantum
        let end = (Self.seconds(slot.end) + Int64(rules.bufferMinutes * 60) + quantum - 1) / quantum
        for party in meeting.parties {
            // One statement per party: a round trip per quantum is what a networked database pays for.
            let quanta = Array(first..<end)
            guard !quanta.isEmpty else { continue }
            try transaction.execute(
                "INSERT INTO booker_occupancy (person, quantum, meeting_id) VALUES "
                    + Array(repeating: "(?, ?, ?)", count: quanta.count).joined(separator: ", "),
                quanta.flatMap { [.text(party.person), .integer($0), .text(meeting.meetingId)] })
            guard party.isStaff else { continue }
            try transaction.execute(
                """
                INSERT INTO booker_daily_load (person, day, meetings, max_meetings) VALUES (?, ?, 1, ?)
                ON CONFLICT (person, day) DO UPDATE SET meetings = booker_daily_load.meetings + 1,
                max_meetings = excluded.max_meetings
                """, [.text(party.person), .text(slot.day.description), .int(rules.maxMeetingsPerStaffPerDay)])
            try transaction.execute(
                """
                INSERT INTO booker_staff_load (person, meetings) VALUES (?, 1)
                ON CONFLICT (person) DO UPDATE SET meetings = booker_staff_load.meetings + 1
                """, [.text(party.person)])
        }
    }

    /// Records a raised sequence without other change (a failed move).
    func setSequence(_ sequence: Int, of meetingId: String) throws {
        try transaction.execute(
            "UPDATE booker_meetings SET sequence = ? WHERE meeting_id = ?", [.int(sequence), .text(meetingId)])
    }

    /// Releases a booked meeting's occupancy and daily load (before it is cancelled or moved).
    func release(_ meeting: StoredMeeting) throws {
        try transaction.execute("DELETE FROM booker_occupancy WHERE meeting_id = ?", [.text(meeting.meetingId)])
        guard let slot = meeting.slot else { return }
        for party in meeting.parties where party.isStaff {
            try transaction.execute(
                "UPDATE booker_daily_load SET meetings = meetings - 1 WHERE person = ? AND day = ?",
                [.text(party.person), .text(slot.day.description)])
            try transaction.execute(
                "UPDATE booker_staff_load SET meetings = meetings - 1 WHERE person = ?", [.text(party.person)])
        }
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
}
