import Foundation
import MIAContracts
import MIASimulation

/// Simulations shared by the tests, made once, and helpers to read their lines.
enum SimulationFixtures {
    /// MIA as configured by default: 2,500 participants, 2017-01-01 to 2020-08-31, seed 1, no faults.
    static let standard: SimulationOutput = simulate(SimulationConfiguration())

    /// The default programme with 5 % faulty records.
    static let faulty: SimulationOutput = simulate(SimulationConfiguration(faultRate: 0.05))

    /// Runs a simulation whose configuration is known to be valid.
    static func simulate(_ configuration: SimulationConfiguration) -> SimulationOutput {
        do {
            return try ProgrammeSimulator(configuration: configuration).run()
        } catch {
            fatalError("a valid configuration was refused: \(error)")
        }
    }

    /// The JSON objects of the valid lines of a kind (faulty lines skipped).
    static func objects(of kind: InputRecordKind, in output: SimulationOutput) -> [[String: Any]] {
        let faultyLines = Set(output.faults.filter { $0.recordKind == kind }.map(\.line))
        return output.lines(of: kind).enumerated().compactMap { index, line in
            guard !faultyLines.contains(index + 1) else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }

    /// A preparer as `mia publish` runs it, with a test key.
    static func preparer(referenceDate: CalendarDate) throws -> InputRecordPreparer {
        let pseudonymizer = try Pseudonymizer(keyText: String(repeating: "simulation-test-key-", count: 3))
        return InputRecordPreparer(
            pseudonymizer: pseudonymizer, referenceDate: referenceDate,
            clock: { Date(timeIntervalSince1970: 1_600_000_000) })
    }

    /// The lines the contracts' pipeline rejects, as `file:line`.
    static func rejectedLines(of output: SimulationOutput, referenceDate: CalendarDate) throws -> Set<String> {
        let preparer = try preparer(referenceDate: referenceDate)
        var rejected = Set<String>()
        for kind in SimulationOutput.publishOrder {
            for record in try InputRecordReader.records(from: output.fileContents(of: kind)) {
                if case .rejected = preparer.prepare(record.bytes, kind: kind) {
                    rejected.insert("\(SimulationOutput.fileName(of: kind)):\(record.lineNumber)")
                }
            }
        }
        return rejected
    }
}
