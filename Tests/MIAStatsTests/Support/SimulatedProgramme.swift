import Foundation
import MIAContracts
import MIASimulation

/// Input events of a simulated programme (`mia simulate`), prepared as `mia publish` would.
enum SimulatedProgramme {
    /// MIA's 2,500 participants over 2017-2020, computed once per test process.
    static let full: [CloudEvent] = events(participants: 2500)

    /// The referral, follow-up and outcome events of a simulation.
    ///
    /// - Parameter year: Simulate only this year (a smaller table, for faster tests), or MIA's whole period.
    static func events(participants: Int, seed: UInt64 = 1, year: Int? = nil) -> [CloudEvent] {
        var configuration = SimulationConfiguration()
        configuration.participants = participants
        configuration.seed = seed
        if let year {
            configuration.from = CalendarDate(year: year, month: 1, day: 1)!
            configuration.to = CalendarDate(year: year, month: 12, day: 31)!
        }
        // Force-try: the default configuration is valid, and a test cannot continue without its data.
        let simulation = try! ProgrammeSimulator(configuration: configuration).run()
        let preparer = InputRecordPreparer(
            pseudonymizer: try! Pseudonymizer(keyText: String(repeating: "s", count: 32)),
            referenceDate: CalendarDate(year: 2026, month: 11, day: 30)!)
        var events: [CloudEvent] = []
        for kind in [InputRecordKind.referral, .followup, .outcome] {
            for line in simulation.lines(of: kind) {
                if case .ready(let record) = preparer.prepare(Array(line.utf8), kind: kind) {
                    events.append(record.event)
                }
            }
        }
        return events
    }
}
