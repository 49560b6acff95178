import MIAContracts
import Testing

@testable import MIAStats

@Suite("Disclosure control: small counts are suppressed and cannot be recovered from any relation")
struct DisclosureTests {
    /// Participations started on one day, all alike apart from the given fields.
    static func facts(
        _ count: Int, _ delprojekt: Delprojekt, _ gender: LegalGender, insats: InsatsType = .caseManagement,
        start: CalendarDate = CalendarDate(year: 2018, month: 3, day: 5)!, prefix: String
    ) -> [ParticipationFact] {
        (0..<count).map { n in
            ParticipationFact(
                referralId: "\(prefix)-\(n)", delprojekt: delprojekt, insatsType: insats, gender: gender, start: start,
                age: 30 + n % 30, employmentStatus: .longTermUnemployed, educationLevel: .isced3_4, disadvantages: [])
        }
    }

    @Test("Three women beside ten men: the three cannot be recovered from the total, in any breakdown")
    func singleSmallCell() throws {
        let facts =
            Self.facts(3, .hbs, .kvinna, prefix: "hbs-k") + Self.facts(10, .hbs, .man, prefix: "hbs-m")
            + Self.facts(20, .stockholm, .kvinna, prefix: "sth-k") + Self.facts(20, .stockholm, .man, prefix: "sth-m")
        let table = StatisticsTable(facts: facts, threshold: 5)
        let cells = Dictionary(uniqueKeysWithValues: table.cells.map { ($0.partitionKey, $0) })
        let women = try #require(cells["2018-03/HBS/kvinna/caseManagement/started"])
        #expect(women.suppressed && women.suppressionMethod == .primary && women.value == nil)
        #expect(women.threshold == 5)
        // Without secondary suppression, HBS total (13) minus men (10) would give the three away.
        let men = try #require(cells["2018-03/HBS/man/caseManagement/started"])
        let total = try #require(cells["2018-03/HBS/total/caseManagement/started"])
        #expect(men.suppressed || total.suppressed)
        #expect([men, total].contains { $0.suppressionMethod == .secondary })
        // With only two delprojekt, ALL (23 women) = HBS (3) + Stockholm (20): Stockholm's 20 must go too.
        #expect(cells["2018-03/Stockholm/kvinna/caseManagement/started"]?.suppressionMethod == .secondary)
        #expect(cells["2018-03/Stockholm/kvinna/caseManagement/started"]?.value == nil)
        // The total of the quarter is large and stays published.
        #expect(cells["2018-Q1/ALL/total/all/started"]?.value == 53)
        let disclosures = RelationAudit.disclosures(table.cells)
        #expect(disclosures.isEmpty, "recoverable: \(disclosures.prefix(3))")
    }

    @Test("Without secondary suppression the audit finds the disclosure (the audit can fail)")
    func auditDetectsPrimaryOnly() throws {
        let facts = Self.facts(3, .hbs, .kvinna, prefix: "k") + Self.facts(10, .hbs, .man, prefix: "m")
        let table = StatisticsTable(facts: facts, threshold: 5)
        let primaryOnly = table.cells.map { cell in
            guard cell.suppressionMethod == .secondary else { return cell }
            var published = cell
            published.suppressed = false
            published.suppressionMethod = .none
            return published
        }
        #expect(!RelationAudit.disclosures(primaryOnly).isEmpty)
        #expect(RelationAudit.disclosures(table.cells).isEmpty)
    }

    @Test("A simulated programme leaves no suppressed count recoverable from any relation")
    func simulatedProgramme() async throws {
        let store = try await StatsStore()
        try await store.apply(SimulatedProgramme.events(participants: 300, seed: 9, year: 2018))
        let table = try await store.table()
        #expect(table.cells.contains { $0.suppressionMethod == .primary })
        #expect(table.cells.contains { $0.suppressionMethod == .secondary })
        let disclosures = RelationAudit.disclosures(table.cells)
        #expect(disclosures.isEmpty, "recoverable: \(disclosures.prefix(3))")
    }

    @Test("The threshold is configurable and every record states it")
    func threshold() {
        let facts = Self.facts(7, .varNa, .kvinna, prefix: "v") + Self.facts(12, .varNa, .man, prefix: "w")
        let strict = StatisticsTable(facts: facts, threshold: 10)
        let cells = Dictionary(uniqueKeysWithValues: strict.cells.map { ($0.partitionKey, $0) })
        #expect(cells["2018-03/VarNa/kvinna/caseManagement/started"]?.suppressionMethod == .primary)
        #expect(strict.cells.allSatisfy { $0.threshold == 10 })
        let lenient = StatisticsTable(facts: facts, threshold: 5)
        let published = lenient.cells.first { $0.partitionKey == "2018-03/VarNa/kvinna/caseManagement/started" }
        #expect(published?.value == 7)
    }
}
