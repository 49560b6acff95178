import Foundation
import MIAContracts

/// Synthetic booker inputs with deterministic ids and times. No real person's data: participants are
/// pseudonymous references, staff opaque ids.
enum BookerEvents {
    /// 2019-02-04 08:00 UTC.
    static let baseTime = Date(timeIntervalSince1970: 1_549_267_200)

    static func participant(_ index: Int) -> String { "p-" + String(format: "%032x", 0xb00c0000 + index) }

    static func event(_ id: String, step: Int, _ payload: EventPayload) -> CloudEvent {
        CloudEvent(id: id, source: "/test", time: baseTime.addingTimeInterval(Double(step)), payload: payload)
    }

    /// An anvisning of participant `index` (referral `ref-<index>`). By default the insats is too short for
    /// follow-ups or a next-step meeting, so only the trepartsmöte is booked.
    static func referral(
        _ index: Int, contact: String? = "ins-1", handlaggare: String? = nil, decided: CalendarDate = day(2019, 2, 4),
        start: CalendarDate = day(2019, 2, 6), end: CalendarDate = day(2019, 2, 8), id: String? = nil,
        delprojekt: Delprojekt = .varNa
    ) -> CloudEvent {
        event(
            id ?? "referral-\(index)", step: index,
            .referralCreated(
                ReferralCreated(
                    referralId: "ref-\(index)", participantRef: participant(index), delprojekt: delprojekt,
                    resursrad: "rr-varna", insatsType: .caseManagement, insatsContactId: contact,
                    handlaggare: .init(
                        agency: .af, id: handlaggare ?? "hl-\(index)", contactChannel: "af-inbox-2"),
                    agencyCaseRef: "AF-2019-\(index)", consentGiven: true, decisionDate: decided,
                    plannedStart: start, plannedEnd: end, legalGender: index.isMultiple(of: 2) ? .kvinna : .man,
                    ageAtStart: 30 + index % 30, employmentStatus: .longTermUnemployed, educationLevel: .isced3_4)))
    }

    /// The slutdokumentation of referral `ref-<index>`.
    static func outcome(
        _ index: Int, on endDate: CalendarDate, kind: OutcomeKind = .work, id: String? = nil
    ) -> CloudEvent {
        event(
            id ?? "outcome-\(index)", step: 100_000 + index,
            .outcomeRecorded(
                OutcomeRecorded(
                    referralId: "ref-\(index)", participantRef: participant(index), endDate: endDate, outcome: kind,
                    inEducationOrTraining: false, gainedQualification: false, newlyJobSeeking: false)))
    }

    /// A busy period of a staff member from `from` to `to` local wall-clock minutes on `day`.
    static func busy(_ staff: String, _ day: CalendarDate, from: Int, to: Int, id: String) -> CloudEvent {
        let calendar = StockholmClock()
        return event(
            id, step: 0,
            .calendarBusy(
                CalendarBusy(
                    staffId: staff, start: calendar.instant(day, minute: from), end: calendar.instant(day, minute: to),
                    busyId: id)))
    }

    /// A reschedule request for a meeting of referral `ref-<index>`.
    static func reschedule(_ index: Int, meeting: String, id: String, at time: Date) -> CloudEvent {
        CloudEvent(
            id: id, source: "/test", time: time,
            payload: .meetingRescheduleRequested(
                MeetingRescheduleRequested(
                    meetingId: meeting, referralId: "ref-\(index)", participantRef: participant(index),
                    requestedBy: .participant, reasonCode: "illness")))
    }

    /// An extension of referral `ref-<index>` to a new planned end.
    static func extension_(_ index: Int, to end: CalendarDate, on day: CalendarDate) -> CloudEvent {
        event(
            "extend-\(index)-\(end)", step: 200_000 + index,
            .followupReported(
                FollowupReported(
                    followupId: "fu-\(index)-\(end)", referralId: "ref-\(index)", participantRef: participant(index),
                    kind: .insatsExtended, date: day, newPlannedEnd: end)))
    }
}

/// Local Stockholm wall-clock time by Foundation's own calendar, independent of the module under test.
struct StockholmClock {
    let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Stockholm")!
        return calendar
    }()

    func instant(_ day: CalendarDate, minute: Int) -> Date {
        calendar.date(
            from: DateComponents(year: day.year, month: day.month, day: day.day, hour: minute / 60, minute: minute % 60)
        )!
    }

    /// `YYYY-MM-DD HH:MM` local.
    func text(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
    }

    func day(_ date: Date) -> CalendarDate { CalendarDate(date, in: calendar.timeZone) }

    func minute(_ date: Date) -> Int {
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return c.hour! * 60 + c.minute!
    }
}

func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    CalendarDate(year: year, month: month, day: day)!
}
