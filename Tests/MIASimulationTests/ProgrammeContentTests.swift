import Foundation
import MIAContracts
import MIASimulation
import Testing

@Suite("Programme content")
struct ProgrammeContentTests {
    private let output = SimulationFixtures.standard
    private let configuration = SimulationConfiguration()

    private var referrals: [[String: Any]] { SimulationFixtures.objects(of: .referral, in: output) }

    private func date(_ object: [String: Any], _ field: String) -> CalendarDate? {
        (object[field] as? String).flatMap { CalendarDate($0) }
    }

    @Test("2,500 participants with valid, distinct personnummer, about a tenth referred twice")
    func participants() throws {
        let numbers = referrals.compactMap { $0["personnummer"] as? String }
        #expect(numbers.count == referrals.count)
        let distinct = Set(numbers)
        #expect(distinct.count == 2500)
        #expect(referrals.count > 2600 && referrals.count < 2800)
        var men = 0
        for number in distinct {
            let parsed = try Personnummer(number, referenceDate: configuration.to)
            if parsed.legalGender == .man { men += 1 }
        }
        #expect(abs(Double(men) / 2500 - 0.5) < 0.04)
    }

    @Test("ages 16-64 at the planned start")
    func ages() throws {
        for referral in referrals {
            let number = try Personnummer(
                #require(referral["personnummer"] as? String), referenceDate: configuration.to)
            let start = try #require(date(referral, "plannedStart"))
            let birth = number.birthDate
            let age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day) ? 1 : 0)
            #expect((16...64).contains(age))
        }
    }

    @Test("every date inside the period, and no end before its start")
    func datesInsideThePeriod() throws {
        let period = configuration.from...configuration.to
        var starts: [String: CalendarDate] = [:]
        for referral in referrals {
            let decision = try #require(date(referral, "decisionDate"))
            let start = try #require(date(referral, "plannedStart"))
            let end = try #require(date(referral, "plannedEnd"))
            #expect(period.contains(decision) && period.contains(start))
            #expect(decision <= start && start <= end)
            starts[try #require(referral["referralId"] as? String)] = start
        }
        #expect(starts.count == referrals.count, "referral ids must be unique")
        for followup in SimulationFixtures.objects(of: .followup, in: output) {
            let day = try #require(date(followup, "date"))
            let start = starts[followup["referralId"] as? String ?? ""]
            #expect(period.contains(day))
            #expect(start.map { day >= $0 } == true)
        }
        for outcome in SimulationFixtures.objects(of: .outcome, in: output) {
            let end = try #require(date(outcome, "endDate"))
            let start = starts[outcome["referralId"] as? String ?? ""]
            #expect(period.contains(end))
            #expect(start.map { end >= $0 } == true)
        }
        for declaration in SimulationFixtures.objects(of: .asfCapacity, in: output) {
            #expect(period.contains(try #require(date(declaration, "fromDate"))))
        }
        for busy in SimulationFixtures.objects(of: .calendarBusy, in: output) {
            let start = try #require(busy["start"] as? String)
            let end = try #require(busy["end"] as? String)
            #expect(start < end)
            #expect(period.contains(try #require(CalendarDate(start.prefix(10)))))
        }
    }

    @Test("each file is in time order")
    func timeOrder() {
        let fields: [(InputRecordKind, String)] = [
            (.asfCapacity, "fromDate"), (.calendarBusy, "start"), (.referral, "decisionDate"), (.followup, "date"),
            (.outcome, "endDate"),
        ]
        for (kind, field) in fields {
            let values = SimulationFixtures.objects(of: kind, in: output).compactMap { $0[field] as? String }
            #expect(values == values.sorted(), "\(kind.rawValue) by \(field)")
        }
    }

    @Test("outcome shares close to MIA's results: 20 % work or studies, 33 % ordinary programme")
    func outcomeShares() throws {
        let outcomes = SimulationFixtures.objects(of: .outcome, in: output)
        #expect(outcomes.count > referrals.count * 3 / 4)
        let kinds = outcomes.compactMap { $0["outcome"] as? String }
        func share(_ names: Set<String>) -> Double {
            Double(kinds.filter(names.contains).count) / Double(kinds.count)
        }
        #expect(abs(share(["work", "studies"]) - 0.20) < 0.02)
        #expect(abs(share(["ordinaryProgramme"]) - 0.33) < 0.02)
        #expect(abs(share(["interrupted"]) - 0.15) < 0.02)
        for outcome in outcomes {
            let kind = try #require(outcome["outcome"] as? String)
            if kind == "studies" { #expect(outcome["inEducationOrTraining"] as? Bool == true) }
            if kind == "interrupted" || kind == "other" { #expect(outcome["gainedQualification"] as? Bool == false) }
            if kind == "work" { #expect(outcome["newlyJobSeeking"] as? Bool == false) }
            #expect((outcome["ordinaryProgrammeProvider"] != nil) == (kind == "ordinaryProgramme"))
        }
    }

    @Test("the insats mix has about 15 % ASF work training, each with an ASF")
    func insatsMix() {
        let asf = referrals.filter { $0["insatsType"] as? String == "asfWorkTraining" }
        #expect(abs(Double(asf.count) / Double(referrals.count) - 0.15) < 0.03)
        #expect(asf.allSatisfy { ($0["asfId"] as? String)?.hasPrefix("asf-") == true })
        let stockholm = referrals.filter { $0["delprojekt"] as? String == "Stockholm" }.count
        for delprojekt in Delprojekt.allCases where delprojekt != .stockholm {
            #expect(referrals.filter { $0["delprojekt"] as? String == delprojekt.rawValue }.count < stockholm)
        }
    }

    @Test("the manifest counts what the files hold")
    func manifest() {
        let manifest = output.manifest
        #expect(manifest.participants == 2500 && manifest.seed == 1 && manifest.faults == 0)
        for kind in SimulationOutput.publishOrder {
            #expect(manifest.lines[SimulationOutput.fileName(of: kind)] == output.lines(of: kind).count)
        }
        #expect(manifest.outcomes.values.reduce(0, +) == output.outcomes.count)
    }

    @Test("an invalid configuration is refused")
    func invalidConfiguration() {
        #expect(throws: SimulationError.self) {
            try ProgrammeSimulator(configuration: SimulationConfiguration(faultRate: 1.5)).run()
        }
        #expect(throws: SimulationError.self) {
            try ProgrammeSimulator(
                configuration: SimulationConfiguration(
                    from: CalendarDate("2020-01-01")!, to: CalendarDate("2020-02-01")!)
            ).run()
        }
    }
}
