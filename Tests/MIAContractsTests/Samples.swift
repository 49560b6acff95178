import Foundation
import MIAContracts

/// Synthetic sample events, one per event type, built in Swift (not read from the example files).
enum Samples {
    static let participantRef = "p-00112233445566778899aabbccddeeff"
    static let time = Date(timeIntervalSince1970: 1_520_240_400)  // 2018-03-05T09:00:00Z

    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    static let referral = ReferralCreated(
        referralId: "ref-1", participantRef: participantRef, delprojekt: .varNa, resursrad: "rr-varna-1",
        insatsType: .asfWorkTraining, asfId: "asf-1", asfActivity: "garden", insatsContactId: "staff-9",
        handlaggare: .init(agency: .fk, id: "fk-h-7", contactChannel: "fk-channel-2"), agencyCaseRef: "FK-123",
        consentGiven: true, decisionDate: date("2018-02-01"), plannedStart: date("2018-02-12"),
        plannedEnd: date("2018-08-31"), preferredStartDate: date("2018-02-12"), legalGender: .man, birthYear: 1990,
        birthMonth: 11, employmentStatus: .inactive, educationLevel: .isced5_8,
        disadvantages: [.disability, .otherDisadvantaged])

    static let meeting = MeetingEvent(
        meetingId: "mtg-1", referralId: "ref-1", participantRef: participantRef, kind: .followup,
        start: time.addingTimeInterval(86_400), end: time.addingTimeInterval(90_000), location: "video",
        handlaggareId: "fk-h-7", insatsStaffId: "staff-9", sequence: 3)

    static let unschedulable = MeetingEvent(
        meetingId: "mtg-2", referralId: "ref-1", participantRef: participantRef, kind: .nextStep,
        handlaggareId: "fk-h-7", sequence: 0, reason: "noCommonSlot")

    static let placement = PlacementEvent(
        referralId: "ref-1", participantRef: participantRef, asfId: "asf-1", activity: "garden",
        date: date("2018-02-12"))

    static var waitlisted: PlacementEvent {
        var waitlisted = placement
        waitlisted.position = 4
        return waitlisted
    }

    /// One payload per event type, in the order of `EventType.all`.
    static let payloads: [EventPayload] = [
        .referralCreated(referral),
        .followupReported(
            FollowupReported(
                followupId: "fu-1", referralId: "ref-1", participantRef: participantRef, kind: .insatsExtended,
                date: date("2018-06-01"), nextFollowupDue: date("2018-07-01"), newPlannedEnd: date("2018-10-31"))),
        .outcomeRecorded(
            OutcomeRecorded(
                referralId: "ref-1", participantRef: participantRef, endDate: date("2018-10-31"), outcome: .studies,
                inEducationOrTraining: true, gainedQualification: false, newlyJobSeeking: false)),
        .asfCapacityDeclared(
            AsfCapacityDeclared(
                asfId: "asf-1", activity: "garden", places: 0, fromDate: date("2018-01-01"), status: .paused)),
        .calendarBusy(
            CalendarBusy(staffId: "staff-9", start: time, end: time.addingTimeInterval(3_600), busyId: "b-1")),
        .meetingRescheduleRequested(
            MeetingRescheduleRequested(
                meetingId: "mtg-1", referralId: "ref-1", participantRef: participantRef, requestedBy: .handlaggare,
                reasonCode: "staff.unavailable")),
        .placementWithdrawRequested(
            PlacementWithdrawRequested(
                referralId: "ref-1", participantRef: participantRef, asfId: "asf-1", activity: "garden")),
        .meetingBooked(meeting),
        .meetingRescheduled(meeting),
        .meetingCancelled(unschedulable),
        .meetingUnschedulable(unschedulable),
        .placementReserved(placement),
        .placementWaitlisted(waitlisted),
        .placementPlacedFromWaitlist(placement),
        .placementReleased(placement),
        .placementWithdrawn(placement),
        .asfCapacityStatus(
            AsfCapacityStatus(
                asfId: "asf-1", activity: "garden", places: 2, occupied: 3, free: 0, waitlistLength: 1, status: .active,
                asOf: time)),
        .notificationRequested(
            NotificationRequested(
                notificationId: "n-1", kind: .meetingUnschedulable, handlaggareId: "fk-h-7", agency: .fk,
                referralId: "ref-1",
                agencyCaseRef: "FK-123", channel: "fk-channel-2", subject: "Ingen tid hittad", body: "Boka manuellt.",
                urgent: true)),
        .statisticsCell(
            StatisticsCell(
                period: "all", periodType: .programme, delprojekt: StatisticsCell.allDelprojekt,
                breakdown: .init(gender: .total, insatsType: StatisticsCell.allInsatser), indicator: "participants",
                value: 2_512, share: 1, suppressed: false, suppressionMethod: .none, threshold: 5, reference: 0.5)),
    ]

    static let events: [CloudEvent] = payloads.enumerated().map { index, payload in
        CloudEvent(id: "evt-\(index)", source: "/mia/test", time: time, payload: payload)
    }
}
