import Foundation
import MIAContracts

/// The statistics recounted from raw events with the plainest code possible, independent of MIAStats: a
/// dictionary from cell key to count, for cells that are not zero.
enum IndependentRecount {
    static func counts(_ events: [CloudEvent]) -> [String: Int] {
        var referrals: [String: ReferralCreated] = [:]
        var outcomes: [String: OutcomeRecorded] = [:]
        for event in events {
            switch event.payload {
            case .referralCreated(let referral): referrals[referral.referralId] = referral
            case .outcomeRecorded(let outcome): outcomes[outcome.referralId] = outcome
            default: break
            }
        }
        var lastYear = 0
        for referral in referrals.values {
            lastYear = max(lastYear, referral.plannedStart.year)
            if let outcome = outcomes[referral.referralId] { lastYear = max(lastYear, outcome.endDate.year) }
        }
        var counts: [String: Int] = [:]
        func add(_ periods: [String], _ referral: ReferralCreated, _ indicator: String) {
            for period in periods {
                for delprojekt in [referral.delprojekt.rawValue, "ALL"] {
                    for gender in [referral.legalGender.rawValue, "total"] {
                        for insats in [referral.insatsType.rawValue, "all"] {
                            counts["\(period)/\(delprojekt)/\(gender)/\(insats)/\(indicator)", default: 0] += 1
                        }
                    }
                }
            }
        }
        func periods(_ year: Int, _ month: Int) -> [String] {
            [String(format: "%04d-%02d", year, month), "\(year)-Q\((month - 1) / 3 + 1)", "\(year)", "all"]
        }
        for referral in referrals.values {
            let start = referral.plannedStart
            var age = referral.ageAtStart
            if let year = referral.birthYear, let month = referral.birthMonth {
                age = start.year - year - (start.month <= month ? 1 : 0)
            }
            let status = referral.employmentStatus
            var entry = ["started"]
            if status == .unemployed || status == .longTermUnemployed { entry.append("unemployed") }
            if status == .longTermUnemployed { entry.append("longTermUnemployed") }
            if status == .inactive || status == .inactiveNotInEducation { entry.append("inactive") }
            if status == .inactiveNotInEducation { entry.append("inactiveNotInEducation") }
            if status == .employed { entry.append("employed") }
            if let age, age < 25 { entry.append("below25") }
            if let age, age > 54 { entry.append("above54") }
            if let age, age > 54, status != .employed { entry.append("above54UnemployedOrInactive") }
            entry.append(referral.educationLevel.rawValue)
            for disadvantage in referral.disadvantages ?? [] { entry.append(disadvantage.rawValue) }
            for indicator in entry { add(periods(start.year, start.month), referral, indicator) }

            let outcome = outcomes[referral.referralId]
            var endMonth: (year: Int, month: Int)?
            if let outcome {
                let end = max(outcome.endDate, start)
                endMonth = (end.year, end.month)
                var results = ["ended", outcome.outcome.rawValue]
                if outcome.outcome == .work || outcome.outcome == .studies { results.append("workOrStudies") }
                if outcome.inEducationOrTraining { results.append("inEducationOrTraining") }
                if outcome.gainedQualification { results.append("gainedQualification") }
                if outcome.newlyJobSeeking { results.append("newlyJobSeeking") }
                for indicator in results { add(periods(end.year, end.month), referral, indicator) }
            }
            // Active at the end of every month, quarter and year from the start month until the month before the
            // end; the programme when it has not ended.
            var activePeriods: [String] = []
            for year in start.year...lastYear {
                for month in 1...12 {
                    let monthIndex = year * 12 + month
                    guard monthIndex >= start.year * 12 + start.month else { continue }
                    if let endMonth, monthIndex >= endMonth.year * 12 + endMonth.month { continue }
                    activePeriods.append(String(format: "%04d-%02d", year, month))
                    if month % 3 == 0 { activePeriods.append("\(year)-Q\(month / 3)") }
                    if month == 12 { activePeriods.append("\(year)") }
                }
            }
            if outcome == nil { activePeriods.append("all") }
            add(activePeriods, referral, "activeAtEnd")
        }
        return counts
    }
}
