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

    /// Whether a referral is booked already, and whether it is closed (its outcome came first): one query.
    func referralState(_ referralId: String) throws -> (known: Bool, closed: Bool) {
        let row = try transaction.queryOne(
            """
            SELECT (SELECT COUNT(*) FROM booker_referrals WHERE referral_id = ?) AS known,
                   (SELECT COUNT(*) FROM booker_closed WHERE referral_id = ?) AS closed
            """, [.text(referralId), .text(referralId)])
        return ((row?["known"].integer ?? 0) > 0, (row?["closed"].integer ?? 0) > 0)
    }

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

    /// The schedules of a meeting's parties over `days` (what ``schedule(staffId:participantRef:days:calendar:excluding:)``
    /// gives for each), read in three queries for all of them: their meetings, their busy periods and their
    /// meetings per day.
    ///
    /// - Parameter staff: The staff among the parties (the handläggare, the insats contact person), in order; the
    ///   participant's schedule comes last.
    func schedules(
        staff: [String], participantRef: String, days: [CalendarDate], calendar: WorkingCalendar
    ) throws -> [PartySchedule] {
        var parties =
            staff.map { PartySchedule(person: Self.staffKey($0), isStaff: true) }
            + [PartySchedule(person: Self.participantKey(participantRef), isStaff: false)]
        guard let first = days.first, let last = days.last, let reach = Self.reach(of: days, calendar: calendar) else {
            return parties
        }
        let from = Self.seconds(reach.lowerBound)
        let to = Self.seconds(reach.upperBound)
        let window: [SQLValue] = [.integer(to), .integer(from - 86_400), .integer(from)]
        let range = "start_at < ? AND start_at > ? AND end_at > ? AND status = 'booked'"
        // One index range per party and role, as in `schedule`, tagged with the party's position.
        var selects: [String] = []
        var arguments: [SQLValue] = []
        for (position, id) in staff.enumerated() {
            for column in ["handlaggare_id", "insats_staff_id"] {
                selects.append(
                    "SELECT \(position) AS party, start_at, end_at FROM booker_meetings WHERE \(column) = ? AND \(range)"
                )
                arguments += [.text(id)] + window
            }
        }
        selects.append(
            "SELECT \(staff.count) AS party, start_at, end_at FROM booker_meetings WHERE participant_ref = ? AND \(range)"
        )
        arguments += [.text(participantRef)] + window
        for row in try transaction.query(selects.joined(separator: " UNION ALL "), arguments) {
            guard let party = row["party"].integer.map(Int.init), parties.indices.contains(party),
                let meeting = Self.range(row)
            else { continue }
            parties[party].meetings.append(meeting)
        }
        guard !staff.isEmpty else { return parties }
        let marks = Array(repeating: "?", count: staff.count).joined(separator: ", ")
        let position = Dictionary(staff.enumerated().map { ($1, $0) }) { first, _ in first }
        for row in try transaction.query(
            "SELECT staff_id, start_at, end_at FROM booker_busy WHERE staff_id IN (\(marks)) AND start_at < ? AND end_at > ?",
            staff.map { .text($0) } + [.integer(to), .integer(from)])
        {
            guard let id = row["staff_id"].text, let party = position[id], let busy = Self.range(row) else { continue }
            parties[party].busy.append(busy)
        }
        let people = Dictionary(staff.enumerated().map { (Self.staffKey($1), $0) }) { first, _ in first }
        for row in try transaction.query(
            "SELECT person, day, meetings FROM booker_daily_load WHERE person IN (\(marks)) AND day >= ? AND day <= ?",
            staff.map { .text(Self.staffKey($0)) } + [.text(first.description), .text(last.description)])
        {
            if let person = row["person"].text, let party = people[person],
                let day = row["day"].text.flatMap({ CalendarDate($0) }), let count = row["meetings"].integer
            {
                parties[party].meetingsPerDay[day] = Int(count)
            }
        }
        // The same person twice (a handläggare who is also the insats contact): one schedule is enough.
        return parties
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

    /// Inserts or replaces a meeting row; a booked one also claims its parties' time: occupancy quanta (buffer
    /// included) for every party, and the staff's daily load. The primary key and the check make an overlap or an
    /// excess a constraint violation.
    func save(_ meeting: StoredMeeting) throws {
        try saveAll([meeting])
    }

    /// Inserts or replaces new meetings and claims the time of the booked ones, in four multi-row statements
    /// whatever their number: the meetings, every party's occupancy quanta, the staff's daily loads and their
    /// totals (each added up per person and day first). The constraints guard the whole batch as they guard
    /// ``save(_:)``: an overlap or an excess fails it.
    func saveAll(_ meetings: [StoredMeeting]) throws {
        guard !meetings.isEmpty else { return }
        for chunk in stride(from: 0, to: meetings.count, by: 50) {
            let rows = meetings[chunk..<min(chunk + 50, meetings.count)]
            try transaction.execute(
                """
                INSERT INTO booker_meetings (meeting_id, referral_id, participant_ref, kind, status, start_at, end_at,
                local_day, location, handlaggare_id, insats_staff_id, sequence, reason) VALUES
                """
                    + Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: rows.count).joined(
                        separator: ", ")
                        + """
                         ON CONFLICT (meeting_id) DO UPDATE SET status = excluded.status, start_at = excluded.start_at,
                        end_at = excluded.end_at, local_day = excluded.local_day, location = excluded.location,
                        sequence = excluded.sequence, reason = excluded.reason
                        """,
                rows.flatMap(Self.values))
        }
        let quantum = Int64(BookerConfiguration.quantumMinutes * 60)
        var quanta: [SQLValue] = []
        var daily: [String: Int] = [:]
        var daysOrder: [String] = []
        var totals: [String: Int] = [:]
        var staffOrder: [String] = []
        for meeting in meetings where meeting.status == .booked {
            guard let slot = meeting.slot else { continue }
            let first = Self.seconds(slot.start) / quantum
            let end = (Self.seconds(slot.end) + Int64(rules.bufferMinutes * 60) + quantum - 1) / quantum
            for party in meeting.parties {
                for q in first..<end { quanta += [.text(party.person), .integer(q), .text(meeting.meetingId)] }
                guard party.isStaff else { continue }
                let key = party.person + "\u{0}" + slot.day.description
                if daily[key] == nil { daysOrder.append(key) }
                daily[key, default: 0] += 1
                if totals[party.person] == nil { staffOrder.append(party.person) }
                totals[party.person, default: 0] += 1
            }
        }
        for chunk in stride(from: 0, to: quanta.count, by: 3 * 300) {
            let part = Array(quanta[chunk..<min(chunk + 3 * 300, quanta.count)])
            try transaction.execute(
                "INSERT INTO booker_occupancy (person, quantum, meeting_id) VALUES "
                    + Array(repeating: "(?, ?, ?)", count: part.count / 3).joined(separator: ", "), part)
        }
        if !daysOrder.isEmpty {
            try transaction.execute(
                "INSERT INTO booker_daily_load (person, day, meetings, max_meetings) VALUES "
                    + Array(repeating: "(?, ?, ?, ?)", count: daysOrder.count).joined(separator: ", ")
                        + """
                         ON CONFLICT (person, day) DO UPDATE SET meetings = booker_daily_load.meetings + excluded.meetings,
                        max_meetings = excluded.max_meetings
                        """,
                daysOrder.flatMap { key -> [SQLValue] in
                    let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
                    return [
                        .text(parts[0]), .text(parts[1]), .int(daily[key] ?? 0), .int(rules.maxMeetingsPerStaffPerDay),
                    ]
                })
            try transaction.execute(
                "INSERT INTO booker_staff_load (person, meetings) VALUES "
                    + Array(repeating: "(?, ?)", count: staffOrder.count).joined(separator: ", ")
                    + " ON CONFLICT (person) DO UPDATE SET meetings = booker_staff_load.meetings + excluded.meetings",
                staffOrder.flatMap { [.text($0), .int(totals[$0] ?? 0)] })
        }
    }

    /// A meeting's column values, in `booker_meetings`' insert order.
    private static func values(_ meeting: StoredMeeting) -> [SQLValue] {
        [
            .text(meeting.meetingId), .text(meeting.referralId), .text(meeting.participantRef),
            .text(meeting.kind.rawValue), .text(meeting.status.rawValue),
            meeting.slot.map { .integer(seconds($0.start)) } ?? .null,
            meeting.slot.map { .integer(seconds($0.end)) } ?? .null,
            .text(meeting.slot?.day.description), .text(meeting.location), .text(meeting.handlaggareId),
            .text(meeting.insatsStaffId), .int(meeting.sequence), .text(meeting.reason),
        ]
    }

    /// Records a raised sequence without other change (a failed move).
    func setSequence(_ sequence: Int, of meetingId: String) throws {
        try transaction.execute(
            "UPDATE booker_meetings SET sequence = ? WHERE meeting_id = ?", [.int(sequence), .text(meetingId)])
    }

    /// Releases a booked meeting's occupancy and daily load (before it is cancelled or moved).
    func release(_ meeting: StoredMeeting) throws {
        // Only a meeting with a slot claimed time. Its rows are found by key: each party's quanta from the start to
        // a day past the end (the buffer it was booked with may have been another), and only this meeting's.
        guard let slot = meeting.slot else { return }
        let quantum = Int64(BookerConfiguration.quantumMinutes * 60)
        let first = Self.seconds(slot.start) / quantum
        let last = (Self.seconds(slot.end) + 24 * 3600) / quantum
        for party in meeting.parties {
            try transaction.execute(
                "DELETE FROM booker_occupancy WHERE person = ? AND quantum BETWEEN ? AND ? AND meeting_id = ?",
                [.text(party.person), .integer(first), .integer(last), .text(meeting.meetingId)])
        }
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
