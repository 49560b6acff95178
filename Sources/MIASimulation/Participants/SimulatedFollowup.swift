import MIAContracts

/// One simulated follow-up report of a referral.
struct SimulatedFollowup {
    private static let routineKinds = WeightedChoice<FollowupKind>([
        .feedback: 55, .followupMeetingHeld: 35, .planUpdated: 10,
    ])

    var kind: FollowupKind
    var date: SimulationDay
    var nextFollowupDue: SimulationDay?
    var newPlannedEnd: SimulationDay?

    /// The follow-ups of a referral up to the last simulated day, in date order: feedback or a
    /// follow-up meeting roughly monthly, sometimes a plan update, the extension if any, and an
    /// approaching-end report about a month before the final planned end.
    /// - Parameters:
    ///   - referral: The referral and its course.
    ///   - lastDay: The last simulated day; later follow-ups are left out.
    static func followups(of referral: SimulatedReferral, lastDay: SimulationDay) -> [SimulatedFollowup] {
        var generator = SplitMix64(seed: referral.followupSeed, stream: 0)
        let course = referral.course
        let limit = min(course.end - 1, lastDay)
        var followups: [SimulatedFollowup] = []
        var day = (referral.plannedStart + generator.int(in: 21...35)).workingDayOrNext
        while day <= limit {
            let kind = routineKinds.draw(using: &generator)
            let due = kind == .followupMeetingHeld ? (day + generator.int(in: 28...35)).workingDayOrNext : nil
            followups.append(SimulatedFollowup(kind: kind, date: day, nextFollowupDue: due))
            day = (day + generator.int(in: 25...38)).workingDayOrNext
        }
        if let extendedEnd = course.extendedEnd {
            let date = max(referral.plannedStart + 7, referral.plannedEnd - generator.int(in: 20...45)).workingDayOrNext
            if date <= limit {
                followups.append(SimulatedFollowup(kind: .insatsExtended, date: date, newPlannedEnd: extendedEnd))
            }
        }
        if course.outcome != .interrupted {
            let date = max(referral.plannedStart + 7, course.end - generator.int(in: 25...35)).workingDayOrNext
            if date <= limit { followups.append(SimulatedFollowup(kind: .approachingEnd, date: date)) }
        }
        return followups.enumerated()
            .sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
            .map(\.element)
    }

    /// The agency input form (`followup`).
    /// - Parameters:
    ///   - referral: The referral it belongs to.
    ///   - number: The follow-up's 1-based number within the referral.
    func inputRecord(of referral: SimulatedReferral, number: Int) -> InputRecordObject {
        var record = InputRecordObject()
        record["followupId"] = .string("\(referral.referralId)-fu-\(number)")
        record["referralId"] = .string(referral.referralId)
        record["personnummer"] = .string(referral.personnummer)
        record["kind"] = .string(kind.rawValue)
        record["date"] = .string(date.text)
        if let nextFollowupDue { record["nextFollowupDue"] = .string(nextFollowupDue.text) }
        if let newPlannedEnd { record["newPlannedEnd"] = .string(newPlannedEnd.text) }
        return record
    }
}
