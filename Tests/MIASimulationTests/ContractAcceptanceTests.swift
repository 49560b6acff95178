import Foundation
import MIAContracts
import MIASimulation
import Testing

@Suite("Contract acceptance")
struct ContractAcceptanceTests {
    @Test("every generated line of 2,500 participants passes the contracts' publishing pipeline")
    func everyLineAccepted() throws {
        let output = SimulationFixtures.standard
        let rejected = try SimulationFixtures.rejectedLines(of: output, referenceDate: SimulationConfiguration().to)
        #expect(rejected.isEmpty, "rejected: \(rejected.sorted().prefix(10))")
        #expect(output.referrals.count > 0 && output.followups.count > 0 && output.outcomes.count > 0)
        #expect(output.asfCapacity.count > 0 && output.calendarBusy.count > 0)
    }

    @Test("exactly the faulty lines are rejected, and every fault kind occurs")
    func faultsRejectedExactly() throws {
        let output = SimulationFixtures.simulate(SimulationConfiguration(participants: 1000, seed: 3, faultRate: 0.05))
        let rejected = try SimulationFixtures.rejectedLines(of: output, referenceDate: SimulationConfiguration().to)
        let expected = Set(output.faults.map { "\(SimulationOutput.fileName(of: $0.recordKind)):\($0.line)" })
        #expect(rejected == expected)
        let kinds = Set(output.faults.map(\.kind))
        for kind in [
            SimulationFault.Kind.malformedJSON, .missingField, .wrongType, .consentNotGiven, .endBeforeStart,
            .asfWithoutAsfId, .invalidPersonnummer, .unknownEnumValue,
        ] {
            #expect(kinds.contains(kind), "\(kind)")
        }
        let share = Double(output.faults.count) / Double(output.manifest.records.values.reduce(0, +))
        #expect(abs(share - 0.05) < 0.01)
    }

    @Test("the fault manifest round-trips through faults.json")
    func faultManifest() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mia-sim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = SimulationFixtures.simulate(SimulationConfiguration(participants: 200, faultRate: 0.1))
        try output.write(to: directory)
        let data = try Data(contentsOf: directory.appendingPathComponent("faults.json"))
        #expect(try JSONDecoder().decode([SimulationFault].self, from: data) == output.faults)
    }
}
