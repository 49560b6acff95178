import Foundation
import MIAContracts
import MIASimulation
import Testing

@Suite("Determinism")
struct DeterminismTests {
    @Test("the same seed gives byte-identical files")
    func sameSeedSameBytes() throws {
        let again = SimulationFixtures.simulate(SimulationConfiguration())
        #expect(again == SimulationFixtures.standard)

        let base = FileManager.default.temporaryDirectory.appendingPathComponent("mia-sim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let first = base.appendingPathComponent("first")
        let second = base.appendingPathComponent("second")
        try SimulationFixtures.standard.write(to: first)
        try again.write(to: second)
        let names =
            SimulationOutput.publishOrder.map(SimulationOutput.fileName(of:)) + ["faults.json", "manifest.json"]
        for name in names {
            let lhs = try Data(contentsOf: first.appendingPathComponent(name))
            let rhs = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(!lhs.isEmpty, "\(name) is empty")
            #expect(lhs == rhs, "\(name) differs")
        }
    }

    @Test("a different seed gives a different programme")
    func differentSeedDifferentOutput() {
        let other = SimulationFixtures.simulate(SimulationConfiguration(seed: 2))
        #expect(other.referrals != SimulationFixtures.standard.referrals)
        #expect(other.followups != SimulationFixtures.standard.followups)
    }

    @Test("faults are added before records and change no valid record")
    func faultsLeaveValidRecordsAlone() {
        let faulty = SimulationFixtures.faulty
        #expect(!faulty.faults.isEmpty)
        for kind in SimulationOutput.publishOrder {
            let faultyLines = Set(faulty.faults.filter { $0.recordKind == kind }.map(\.line))
            let valid = faulty.lines(of: kind).enumerated().filter { !faultyLines.contains($0.offset + 1) }.map(
                \.element)
            #expect(valid == SimulationFixtures.standard.lines(of: kind), "\(kind.rawValue)")
        }
    }

    @Test("the generator is fast enough for the benchmark")
    func speed() {
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            _ = SimulationFixtures.simulate(SimulationConfiguration(participants: 2500, seed: 9))
        }
        #expect(elapsed < .seconds(10))
    }
}
