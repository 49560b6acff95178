import ArgumentParser
import Foundation
import MIAContracts
import MIASimulation

/// `mia simulate`: write a deterministic, realistic MIA programme as agency input files.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate a realistic, synthetic MIA programme as agency input files (NDJSON).",
        discussion: """
            Writes what the agencies would hand to `mia publish`, one NDJSON file per kind:
              asf-capacity.ndjson   places of six ASF, and changes over time
              calendar-busy.ndjson  busy periods of handläggare and insats staff
              referral.ndjson       anvisningar in six delprojekt (with personnummer)
              followup.ndjson       feedback, meetings, extensions, approaching ends
              outcome.ndjson        slutdokumentation of referrals that ended
              manifest.json         parameters and counts
              faults.json           every faulty line put in on purpose

            The personnummer are generated with a valid check digit, never taken from a register; `mia publish` \
            pseudonymises them. Outcomes follow MIA's results: about 20 % work or studies, 33 % ordinary \
            programmes. The same seed and parameters always give byte-identical files.

            With --faults (2 %) or --fault-rate, that share of records is preceded by a broken version of itself \
            (malformed JSON, a missing or wrong-typed field, no consent, end before start, ASF work training \
            without ASF, a bad personnummer check digit, an unknown code) that `mia publish` must reject.

            Publish in this order:
              mia publish asf-capacity simulation/asf-capacity.ndjson
              mia publish calendar-busy simulation/calendar-busy.ndjson
              mia publish referral simulation/referral.ndjson
              mia publish followup simulation/followup.ndjson
              mia publish outcome simulation/outcome.ndjson
            """)

    @Option(help: "The number of distinct participants.")
    var participants = 2500

    @Option(help: "The first day of the period, YYYY-MM-DD.")
    var from = "2017-01-01"

    @Option(help: "The last day of the period, YYYY-MM-DD; referrals still running then get no outcome.")
    var to = "2020-08-31"

    @Option(help: "The seed of the generator.")
    var seed: UInt64 = 1

    @Flag(help: "Put faulty records in the files, at 2 % unless --fault-rate is given.")
    var faults = false

    @Option(help: ArgumentHelp("The share of records, 0...1, preceded by a faulty version.", valueName: "share"))
    var faultRate: Double?

    @Option(help: "The directory to write the files to.")
    var out = "./simulation"

    /// The configuration the options describe.
    private var simulation: SimulationConfiguration {
        get throws {
            guard let first = CalendarDate(from) else { throw ValidationError("--from must be a date YYYY-MM-DD") }
            guard let last = CalendarDate(to) else { throw ValidationError("--to must be a date YYYY-MM-DD") }
            let rate = faultRate ?? (faults ? SimulationConfiguration.defaultFaultRate : 0)
            return SimulationConfiguration(
                participants: participants, from: first, to: last, seed: seed, faultRate: rate)
        }
    }

    func validate() throws {
        do {
            try simulation.validate()
        } catch let error as SimulationError {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let output = try ProgrammeSimulator(configuration: simulation).run()
        let directory = URL(fileURLWithPath: out, isDirectory: true)
        try output.write(to: directory)
        print("Wrote a simulated MIA programme to \(directory.path) (seed \(seed)):")
        for kind in SimulationOutput.publishOrder {
            let name = SimulationOutput.fileName(of: kind)
            let records = output.manifest.records[name] ?? 0
            let faulty = output.faults.filter { $0.recordKind == kind }.count
            let padded = name.padding(toLength: 22, withPad: " ", startingAt: 0)
            let faultNote = faulty == 0 ? "" : faulty == 1 ? ", 1 faulty line" : ", \(faulty) faulty lines"
            print("  \(padded)\(records) records\(faultNote)")
        }
        let outcomes = output.manifest.outcomes
        let ended = outcomes.values.reduce(0, +)
        if ended > 0 {
            let workOrStudies = (outcomes["work"] ?? 0) + (outcomes["studies"] ?? 0)
            let ordinary = outcomes["ordinaryProgramme"] ?? 0
            print(
                "  outcomes: \(percent(workOrStudies, of: ended)) work or studies, "
                    + "\(percent(ordinary, of: ended)) ordinary programme")
        }
        if !output.faults.isEmpty {
            print("  \(output.faults.count) faulty lines are listed in faults.json")
        }
    }

    private func percent(_ part: Int, of whole: Int) -> String {
        "\((part * 1000 / whole + 5) / 10) %"
    }
}
