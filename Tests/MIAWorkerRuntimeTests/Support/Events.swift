import Foundation
import MIAContracts

/// Test events: valid anvisningar with unique ids.
enum Events {
    static func participantRef(_ index: Int) -> String {
        "p-" + String(format: "%032x", index)
    }

    static func referral(_ index: Int, participant: Int? = nil, resursrad: String = "rr-1", sequence: Int = 0)
        -> CloudEvent
    {
        let referral = ReferralCreated(
            referralId: "ref-\(index)", participantRef: participantRef(participant ?? index), delprojekt: .hbs,
            resursrad: resursrad, insatsType: .caseManagement,
            handlaggare: .init(agency: .af, id: "h-\(index % 7)", contactChannel: "inbox-1"),
            agencyCaseRef: "AF-\(sequence)", consentGiven: true,
            decisionDate: CalendarDate(year: 2018, month: 3, day: 5)!,
            plannedStart: CalendarDate(year: 2018, month: 3, day: 19)!,
            plannedEnd: CalendarDate(year: 2018, month: 9, day: 28)!,
            legalGender: index % 2 == 0 ? .kvinna : .man, ageAtStart: 30, employmentStatus: .unemployed,
            educationLevel: .isced3_4)
        return CloudEvent(
            id: "00000000-0000-4000-8000-" + String(format: "%012d", index), source: "/test",
            time: Date(timeIntervalSince1970: 1_520_000_000), payload: .referralCreated(referral))
    }

    static func bytes(_ event: CloudEvent) -> [UInt8] {
        Array(try! EventEncoder().encode(event))
    }
}
