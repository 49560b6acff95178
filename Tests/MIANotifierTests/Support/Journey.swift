import Foundation
import MIAContracts

/// Synthetic events of one participant's way through an insats, with deterministic ids and times.
///
/// No real person's data: the participant is a pseudonymous reference, the handläggare an opaque id.
struct Journey {
    var index: Int
    var referralId: String { "ref-\(index)" }
    var participantRef: String { "p-" + String(format: "%032x", 0xabc000 + index) }
    var handlaggareId: String { "hl-af-\(index)" }
    var caseRef: String { "AF-2018-\(1000 + index)" }
    var meetingId: String { "mt-\(index)" }

    /// 2018-03-05 08:00 UTC.
    static let baseTime = Date(timeIntervalSince1970: 1_520_236_800)

    /// An event with the id `evt-<index>-<step>`, `step` minutes after the base time.
    func event(_ step: Int, _ payload: EventPayload) -> CloudEvent {
        CloudEvent(
            id: "evt-\(index)-\(step)", source: "/test", time: Self.baseTime.addingTimeInterval(Double(step) * 60),
            payload: payload)
    }

    func referral(insats: InsatsType = .caseManagement) -> CloudEvent {
        let asf = insats == .asfWorkTraining
        return event(
            0,
            .referralCreated(
                ReferralCreated(
                    referralId: referralId, participantRef: participantRef, delprojekt: .hbs, resursrad: "rr-hbs",
                    insatsType: insats, asfId: asf ? "asf-kafe" : nil, asfActivity: asf ? "kafé" : nil,
                    handlaggare: .init(agency: .af, id: handlaggareId, contactChannel: "af-inbox-7"),
                    agencyCaseRef: caseRef, consentGiven: true, decisionDate: date(2018, 3, 5),
                    plannedStart: date(2018, 3, 19), plannedEnd: date(2018, 9, 28), legalGender: .kvinna,
                    birthYear: 1985, birthMonth: 4, employmentStatus: .longTermUnemployed,
                    educationLevel: .isced0_2, disadvantages: [.disability])))
    }

    func meeting(
        _ step: Int, _ type: EventType, kind: MeetingKind = .trepartsmote, sequence: Int, start: String? = nil,
        minutes: Int = 60, location: String? = nil, reason: String? = nil
    ) -> CloudEvent {
        let begin = start.map(Self.stockholm)
        let meeting = MeetingEvent(
            meetingId: kind == .trepartsmote ? meetingId : "\(meetingId)-\(kind.rawValue)", referralId: referralId,
            participantRef: participantRef, kind: kind, start: begin,
            end: begin?.addingTimeInterval(Double(minutes) * 60),
            location: location, handlaggareId: handlaggareId, insatsStaffId: "staff-3", sequence: sequence,
            reason: reason)
        return event(step, try! EventPayload(type, data: meeting))
    }

    func followup(_ step: Int, _ kind: FollowupKind, on day: CalendarDate, next: CalendarDate? = nil) -> CloudEvent {
        event(
            step,
            .followupReported(
                FollowupReported(
                    followupId: "fu-\(index)-\(step)", referralId: referralId, participantRef: participantRef,
                    kind: kind, date: day, nextFollowupDue: next,
                    newPlannedEnd: kind == .insatsExtended ? date(2018, 12, 21) : nil)))
    }

    func placement(_ step: Int, _ type: EventType, position: Int? = nil, on day: CalendarDate) -> CloudEvent {
        event(
            step,
            try! EventPayload(
                type,
                data: PlacementEvent(
                    referralId: referralId, participantRef: participantRef, asfId: "asf-kafe", activity: "kafé",
                    position: position, date: day)))
    }

    func outcome(_ step: Int, _ kind: OutcomeKind, on day: CalendarDate) -> CloudEvent {
        event(
            step,
            .outcomeRecorded(
                OutcomeRecorded(
                    referralId: referralId, participantRef: participantRef, endDate: day, outcome: kind,
                    inEducationOrTraining: false, gainedQualification: false, newlyJobSeeking: false)))
    }

    /// A Stockholm local time `yyyy-MM-dd HH:mm` as an instant.
    static func stockholm(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Stockholm")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }
}

func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    CalendarDate(year: year, month: month, day: day)!
}
