import MIAContracts

/// The meetings of one referral and the working days each may fall on.
///
/// - The trepartsmöte: the ``BookerConfiguration/windowWorkingDays`` working days from the first working day
///   after the decision date.
/// - An uppföljningsmöte every ``BookerConfiguration/followupIntervalWeeks`` weeks after the planned start, each
///   within ``BookerConfiguration/followupWindowWorkingDays`` working days from its due day, while the window
///   ends before the next-step window begins.
/// - The "plan the next step" meeting: the last ``BookerConfiguration/nextStepLeadWorkingDays`` working days
///   before the planned end, not before the trepartsmöte window ends.
public struct MeetingPlan: Sendable, Hashable {
    /// One planned meeting.
    public struct Item: Sendable, Hashable {
        /// The meeting id: `<referralId>/trepartsmote`, `<referralId>/followup-<n>` or `<referralId>/next-step`.
        public var meetingId: String
        /// The kind of meeting.
        public var kind: MeetingKind
        /// The working days the meeting may fall on, in order.
        public var days: [CalendarDate]
    }

    /// The meetings in order: the trepartsmöte, the follow-ups, the next-step meeting.
    public var items: [Item]

    /// Plans the meetings of a referral.
    public init(
        referralId: String, decisionDate: CalendarDate, plannedStart: CalendarDate, plannedEnd: CalendarDate,
        rules: BookerConfiguration, calendar: WorkingCalendar
    ) {
        let trepartsDays = calendar.workingDays(
            from: calendar.nextWorkingDay(after: decisionDate), count: rules.windowWorkingDays)
        var items = [Item(meetingId: "\(referralId)/trepartsmote", kind: .trepartsmote, days: trepartsDays)]
        let lastTreparts = trepartsDays.last ?? decisionDate
        // The working days strictly before the planned end, the last `lead` of them.
        var nextStepDays: [CalendarDate] = []
        var day = plannedEnd.adding(days: -1)
        while nextStepDays.count < rules.nextStepLeadWorkingDays, day > lastTreparts {
            if calendar.isWorkingDay(day) { nextStepDays.insert(day, at: 0) }
            day = day.adding(days: -1)
        }
        let followupsEnd = nextStepDays.first ?? plannedEnd
        var number = 1
        while true {
            let due = plannedStart.adding(days: 7 * rules.followupIntervalWeeks * number)
            let days = calendar.workingDays(
                from: max(due, lastTreparts.adding(days: 1)), count: rules.followupWindowWorkingDays)
            guard let last = days.last, last < followupsEnd else { break }
            items.append(Item(meetingId: "\(referralId)/followup-\(number)", kind: .followup, days: days))
            number += 1
        }
        if !nextStepDays.isEmpty {
            items.append(Item(meetingId: "\(referralId)/next-step", kind: .nextStep, days: nextStepDays))
        }
        self.items = items
    }
}
