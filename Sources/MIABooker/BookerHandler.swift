import Foundation
import MIAContracts
import MIAWorkerRuntime

/// The `mia-booker` worker: trepartsmöten, uppföljningsmöten and "plan the next step" meetings, booked
/// automatically and never double-booked.
///
/// Reads anvisningar (`mia.referral.v1`), follow-ups (`mia.followup.v1`), slutdokumentation (`mia.outcome.v1`),
/// staff busy periods (`mia.calendar.v1`) and reschedule requests (`mia.request.v1`). Writes
/// `se.mia.meeting.booked`, `.rescheduled`, `.cancelled` and `.unschedulable` to `mia.meeting.v1`.
///
/// - An anvisning books the referral's ``MeetingPlan`` for the handläggare, the participant and the insats
///   contact person: the one the anvisning names, else the least-loaded of the insats's staff in the
///   ``BookerConfiguration``. Each meeting gets the slot ``SlotFinder`` picks, or `unschedulable` with reason
///   `no-free-slot` (or `no-insats-staff` when nobody can attend for the insats).
/// - An extension (`insatsExtended`) moves the next-step meeting before the new planned end (or books it, when
///   it was unschedulable) and books the follow-ups the longer insats needs.
/// - An outcome cancels every meeting of the referral after the participant's last day (`endDate`; reason
///   `slutdokumentation`, or `avbrott` for an interruption); one that arrives before its anvisning closes the referral, so it is
///   never booked.
/// - A busy period that collides with a booked meeting of its staff member (buffer included) moves the meeting
///   to the earliest free slot from its own day on (reason `calendar-busy`).
/// - A reschedule request moves the meeting to the earliest free slot from the first working day after both
///   the request and the meeting's day, within the trepartsmöte window length; `rescheduled` with a raised
///   sequence, or `unschedulable` (reason `no-free-slot`) while the old booking stays.
///
/// - Important: Replicas must share one store. Overlaps and the daily limit are enforced by the store's
///   constraints (see ``BookerTables``), so even racing replicas cannot double-book anyone.
public struct BookerHandler: WorkerHandler {
    /// The rules and staff.
    public let configuration: BookerConfiguration
    let calendar = WorkingCalendar()

    /// Creates the handler with validated rules.
    public init(configuration: BookerConfiguration = BookerConfiguration()) {
        self.configuration = configuration
    }

    public var name: String { "booker" }

    public var inputTopics: [String] {
        [
            TopicRegistry.calendar, TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome,
            TopicRegistry.request,
        ]
    }

    public var outputTopics: [String] { [TopicRegistry.meeting] }

    public var migrations: [StoreMigration] { BookerTables.migrations }

    public func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput] {
        let state = BookerState(transaction: transaction, rules: configuration)
        let event = input.event
        switch event.payload {
        case .calendarBusy(let busy):
            try state.storeBusy(busy)
            return try resolveConflicts(with: busy, state)
        case .referralCreated(let referral):
            return try book(referral, state)
        case .followupReported(let followup):
            return try followUp(followup, state)
        case .outcomeRecorded(let outcome):
            try state.close(outcome.referralId, reason: outcome.outcome.rawValue)
            let reason = outcome.outcome == .interrupted ? "avbrott" : "slutdokumentation"
            // The participant's last day ends the plan: every meeting after it is cancelled. (The event time is
            // when the record was published, which says nothing about the participation.)
            let afterLastDay = calendar.instant(outcome.endDate.adding(days: 1), minute: 0).addingTimeInterval(-1)
            return try state.bookedMeetings(of: outcome.referralId, startingAfter: afterLastDay).map { meeting in
                try state.release(meeting)
                var cancelled = meeting
                cancelled.status = .cancelled
                cancelled.sequence += 1
                cancelled.reason = reason
                try state.save(cancelled)
                return WorkerOutput(.meetingCancelled(cancelled.event), discriminator: "cancelled:\(meeting.meetingId)")
            }
        case .meetingRescheduleRequested(let request):
            return try reschedule(request, at: event.time, state)
        default:
            return []
        }
    }

    // MARK: Anvisning

    private func book(_ referral: ReferralCreated, _ state: BookerState) throws -> [WorkerOutput] {
        // The same anvisning again (another event id), or one whose outcome came first: nothing to book.
        let known = try state.referralState(referral.referralId)
        guard !known.known, !known.closed else { return [] }
        let staffId =
            try referral.insatsContactId
            ?? state.leastLoaded(of: configuration.staff(of: referral.delprojekt, referral.insatsType))
        try state.insertReferral(referral, insatsStaffId: staffId)
        let plan = MeetingPlan(
            referralId: referral.referralId, decisionDate: referral.decisionDate, plannedStart: referral.plannedStart,
            plannedEnd: referral.plannedEnd, rules: configuration, calendar: calendar)
        guard let staffId else {
            // Nobody to meet for the insats: report the trepartsmöte; the rest of the plan waits with it.
            let item = plan.items[0]
            let meeting = StoredMeeting(
                meetingId: item.meetingId, referralId: referral.referralId, participantRef: referral.participantRef,
                kind: item.kind, status: .unschedulable, handlaggareId: referral.handlaggare.id, insatsStaffId: nil,
                sequence: 0, reason: "no-insats-staff")
            try state.save(meeting)
            return [
                WorkerOutput(.meetingUnschedulable(meeting.event), discriminator: "unschedulable:\(item.meetingId)")
            ]
        }
        // The parties are the same for every meeting of the plan: their schedules are read once for the whole
        // plan and kept up to date here as its meetings are booked, instead of read again for each meeting.
        let planDays = plan.items.flatMap(\.days)
        guard let firstDay = planDays.min(), let lastDay = planDays.max() else { return [] }
        let staff = staffId == referral.handlaggare.id ? [staffId] : [referral.handlaggare.id, staffId]
        var parties = try state.schedules(
            staff: staff, participantRef: referral.participantRef, days: [firstDay, lastDay], calendar: calendar)
        var meetings: [StoredMeeting] = []
        let outputs = plan.items.map { item in
            let slot = SlotFinder(rules: configuration, calendar: calendar).find(
                on: item.days, parties: parties.map { window($0, days: item.days) },
                order: .spread(key: item.meetingId))
            let meeting = settled(
                StoredMeeting(
                    meetingId: item.meetingId, referralId: referral.referralId,
                    participantRef: referral.participantRef, kind: item.kind, status: .booked,
                    handlaggareId: referral.handlaggare.id, insatsStaffId: staffId, sequence: 0),
                at: slot)
            meetings.append(meeting)
            if let slot {
                for index in parties.indices {
                    parties[index].meetings.append(slot.start..<slot.end)
                    if parties[index].isStaff { parties[index].meetingsPerDay[slot.day, default: 0] += 1 }
                }
            }
            return output(of: meeting)
        }
        // The plan's meetings and their claims in a few multi-row statements, guarded by the same constraints.
        try claiming { try state.saveAll(meetings) }
        return outputs
    }

    /// The schedules of a meeting's parties over `days`: the handläggare, the insats staff member (unless the
    /// same person) and the participant.
    private func schedules(
        handlaggareId: String, insatsStaffId: String?, participantRef: String, days: [CalendarDate],
        excluding: String? = nil, _ state: BookerState
    ) throws -> [PartySchedule] {
        var parties = [
            try state.schedule(
                staffId: handlaggareId, participantRef: participantRef, days: days, calendar: calendar,
                excluding: excluding)
        ]
        if let staffId = insatsStaffId, staffId != handlaggareId {
            parties.append(
                try state.schedule(
                    staffId: staffId, participantRef: participantRef, days: days, calendar: calendar,
                    excluding: excluding))
        }
        parties.append(
            try state.schedule(
                staffId: nil, participantRef: participantRef, days: days, calendar: calendar, excluding: excluding))
        return parties
    }

    /// A schedule cut to what can touch a slot on `days` (what ``BookerState/schedule`` would read for them), so
    /// that the slot finder does not check a whole plan's meetings for every candidate slot.
    private func window(_ schedule: PartySchedule, days: [CalendarDate]) -> PartySchedule {
        guard let reach = BookerState.reach(of: days, calendar: calendar) else { return schedule }
        var cut = schedule
        cut.meetings = schedule.meetings.filter { $0.overlaps(reach) }
        cut.busy = schedule.busy.filter { $0.overlaps(reach) }
        return cut
    }

    /// Books a new meeting on one of `days`, or records it as unschedulable; returns its event.
    private func place(
        _ meeting: StoredMeeting, on days: [CalendarDate], order: SlotFinder.Order, _ state: BookerState
    ) throws -> WorkerOutput {
        try record(meeting, at: try freeSlot(for: meeting, on: days, order: order, state), state)
    }

    /// Saves a new meeting booked at `slot`, or unschedulable when there is none; returns its event.
    private func record(_ meeting: StoredMeeting, at slot: Slot?, _ state: BookerState) throws -> WorkerOutput {
        let meeting = settled(meeting, at: slot)
        try claiming { try state.save(meeting) }
        return output(of: meeting)
    }

    /// A new meeting booked at `slot`, or unschedulable (`no-free-slot`) when there is none.
    private func settled(_ meeting: StoredMeeting, at slot: Slot?) -> StoredMeeting {
        var meeting = meeting
        if let slot {
            meeting.status = .booked
            meeting.slot = slot
            meeting.location = configuration.location
        } else {
            meeting.status = .unschedulable
            meeting.reason = "no-free-slot"
        }
        return meeting
    }

    /// The event of a new meeting: booked or unschedulable.
    private func output(of meeting: StoredMeeting) -> WorkerOutput {
        meeting.status == .booked
            ? WorkerOutput(.meetingBooked(meeting.event), discriminator: "booked:\(meeting.meetingId)")
            : WorkerOutput(.meetingUnschedulable(meeting.event), discriminator: "unschedulable:\(meeting.meetingId)")
    }

    private func freeSlot(
        for meeting: StoredMeeting, on days: [CalendarDate], order: SlotFinder.Order, _ state: BookerState
    ) throws -> Slot? {
        let parties = try schedules(
            handlaggareId: meeting.handlaggareId, insatsStaffId: meeting.insatsStaffId,
            participantRef: meeting.participantRef, days: days, excluding: meeting.meetingId, state)
        return SlotFinder(rules: configuration, calendar: calendar).find(on: days, parties: parties, order: order)
    }

    /// Runs the writes that claim time. A constraint violation there means another replica booked the same
    /// time since this transaction read it (possible on PostgreSQL): retry the batch, which then sees it.
    private func claiming(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(isTransient: true, message: "booking conflict, retrying: \(error)")
        }
    }

    // MARK: Follow-ups

    private func followUp(_ followup: FollowupReported, _ state: BookerState) throws -> [WorkerOutput] {
        guard followup.kind == .insatsExtended, let newEnd = followup.newPlannedEnd,
            try !state.isClosed(followup.referralId),
            let referral = try state.referral(followup.referralId), let staffId = referral.insatsStaffId
        else { return [] }
        try state.setPlannedEnd(newEnd, of: followup.referralId)
        let plan = MeetingPlan(
            referralId: followup.referralId, decisionDate: referral.decisionDate, plannedStart: referral.plannedStart,
            plannedEnd: newEnd,
            rules: configuration, calendar: calendar)
        var outputs: [WorkerOutput] = []
        for item in plan.items where item.kind != .trepartsmote {
            guard let existing = try state.meeting(item.meetingId) else {
                outputs.append(
                    try place(
                        StoredMeeting(
                            meetingId: item.meetingId, referralId: followup.referralId,
                            participantRef: followup.participantRef, kind: item.kind, status: .booked,
                            handlaggareId: referral.handlaggareId, insatsStaffId: staffId, sequence: 0),
                        on: item.days, order: .spread(key: item.meetingId), state))
                continue
            }
            // The next-step meeting follows the planned end (a new window may have room for one that found
            // none); other meetings stay where they are.
            if item.kind == .nextStep, existing.status == .unschedulable {
                var retry = existing
                retry.sequence += 1
                retry.reason = nil
                outputs.append(
                    try place(retry, on: item.days, order: .spread(key: "\(item.meetingId)/\(newEnd)"), state))
                continue
            }
            guard item.kind == .nextStep, existing.status == .booked, let slot = existing.slot,
                !item.days.contains(slot.day)
            else { continue }
            outputs.append(
                try move(
                    existing, to: item.days, order: .spread(key: "\(item.meetingId)/\(newEnd)"),
                    reason: "insats-extended", state))
        }
        return outputs
    }

    // MARK: Busy periods

    /// Moves the booked meetings a new busy period collides with (buffer included) to the earliest free slot from
    /// their own day on.
    private func resolveConflicts(with busy: CalendarBusy, _ state: BookerState) throws -> [WorkerOutput] {
        guard busy.end > busy.start else { return [] }
        let buffer = TimeInterval(configuration.bufferMinutes * 60)
        let conflicting = try state.bookedMeetings(
            of: busy.staffId, overlapping: busy.start.addingTimeInterval(-buffer)..<busy.end.addingTimeInterval(buffer))
        return try conflicting.compactMap { meeting in
            guard let slot = meeting.slot else { return nil }
            let days = calendar.workingDays(from: slot.day, count: configuration.windowWorkingDays)
            return try move(meeting, to: days, order: .earliest, reason: "calendar-busy", state)
        }
    }

    // MARK: Reschedule

    private func reschedule(_ request: MeetingRescheduleRequested, at time: Date, _ state: BookerState) throws
        -> [WorkerOutput]
    {
        guard let meeting = try state.meeting(request.meetingId) else {
            throw HandlerRejection(validation: "unknown meeting \(request.meetingId)")
        }
        guard meeting.referralId == request.referralId, meeting.participantRef == request.participantRef else {
            throw HandlerRejection(validation: "meeting \(request.meetingId) belongs to another referral")
        }
        guard meeting.status == .booked, let slot = meeting.slot else {
            throw HandlerRejection(validation: "meeting \(request.meetingId) is \(meeting.status.rawValue), not booked")
        }
        let from = calendar.nextWorkingDay(after: max(calendar.day(of: time), slot.day))
        let days = calendar.workingDays(from: from, count: configuration.windowWorkingDays)
        return [try move(meeting, to: days, order: .earliest, reason: request.reasonCode, state)]
    }

    /// Moves a booked meeting to a free slot on `days`: `rescheduled`, or `unschedulable` while it stays put.
    ///
    /// - Parameter reason: Why it moves, as a code carried by the `rescheduled` event.
    private func move(
        _ meeting: StoredMeeting, to days: [CalendarDate], order: SlotFinder.Order, reason: String,
        _ state: BookerState
    ) throws -> WorkerOutput {
        var moved = meeting
        moved.sequence += 1
        moved.reason = reason
        guard let slot = try freeSlot(for: meeting, on: days, order: order, state) else {
            var failed = moved
            failed.reason = "no-free-slot"
            // The row keeps the booking; only the sequence records the failed attempt.
            try state.setSequence(moved.sequence, of: meeting.meetingId)
            return WorkerOutput(
                .meetingUnschedulable(failed.event),
                discriminator: "unschedulable:\(meeting.meetingId):\(moved.sequence)")
        }
        try state.release(meeting)
        moved.slot = slot
        try claiming { try state.save(moved) }
        return WorkerOutput(
            .meetingRescheduled(moved.event), discriminator: "rescheduled:\(meeting.meetingId):\(moved.sequence)")
    }
}
