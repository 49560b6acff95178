import Foundation
import MIAContracts

/// Synthetic capacity events with deterministic ids and times. No real person's data: participants are
/// pseudonymous references.
enum CapacityEvents {
    /// 2019-02-04 08:00 UTC.
    static let baseTime = Date(timeIntervalSince1970: 1_549_267_200)

    static func participant(_ index: Int) -> String { "p-" + String(format: "%032x", 0xcafe0000 + index) }

    static func event(_ id: String, step: Int, _ payload: EventPayload) -> CloudEvent {
        CloudEvent(id: id, source: "/test", time: baseTime.addingTimeInterval(Double(step)), payload: payload)
    }

    static func declaration(
        _ asfId: String, _ activity: String, places: Int, status: CapacityStatus = .active,
        from day: CalendarDate = date(2019, 2, 1), id: String
    ) -> CloudEvent {
        event(
            id, step: 0,
            .asfCapacityDeclared(
                AsfCapacityDeclared(asfId: asfId, activity: activity, places: places, fromDate: day, status: status)))
    }

    /// An anvisning of participant `index` (referral `ref-<index>`) to work training at an ASF.
    static func referral(
        _ index: Int, asf asfId: String, activity: String?, preferred: CalendarDate? = nil, id: String? = nil,
        participant: String? = nil
    ) -> CloudEvent {
        event(
            id ?? "referral-\(index)", step: index,
            .referralCreated(
                ReferralCreated(
                    referralId: "ref-\(index)", participantRef: participant ?? Self.participant(index),
                    delprojekt: .varNa, resursrad: "rr-varna", insatsType: .asfWorkTraining, asfId: asfId,
                    asfActivity: activity,
                    handlaggare: .init(agency: .af, id: "hl-\(index % 7)", contactChannel: "af-inbox-2"),
                    agencyCaseRef: "AF-2019-\(index)", consentGiven: true, decisionDate: date(2019, 2, 4),
                    plannedStart: date(2019, 2, 11), plannedEnd: date(2019, 8, 30), preferredStartDate: preferred,
                    legalGender: index.isMultiple(of: 2) ? .kvinna : .man, ageAtStart: 30 + index % 30,
                    employmentStatus: .longTermUnemployed, educationLevel: .isced3_4)))
    }

    /// The slutdokumentation of referral `ref-<index>`.
    static func outcome(_ index: Int, on day: CalendarDate = date(2019, 5, 31), id: String? = nil) -> CloudEvent {
        event(
            id ?? "outcome-\(index)", step: 100_000 + index,
            .outcomeRecorded(
                OutcomeRecorded(
                    referralId: "ref-\(index)", participantRef: participant(index), endDate: day, outcome: .work,
                    inEducationOrTraining: false, gainedQualification: false, newlyJobSeeking: false)))
    }

    /// A withdrawal request for referral `ref-<index>`.
    static func withdrawal(_ index: Int, asf asfId: String, activity: String) -> CloudEvent {
        event(
            "withdraw-\(index)", step: 200_000 + index,
            .placementWithdrawRequested(
                PlacementWithdrawRequested(
                    referralId: "ref-\(index)", participantRef: participant(index), asfId: asfId, activity: activity)))
    }
}

func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
    CalendarDate(year: year, month: month, day: day)!
}
