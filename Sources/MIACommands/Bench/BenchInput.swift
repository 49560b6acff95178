import Foundation
import MIAContracts
import MIASimulation

/// The agency input files of a bench run, generated with ``ProgrammeSimulator`` (synthetic, checksum-valid
/// personnummer; never real ones).
enum BenchInput {
    /// The input file of a record set: `<name>.ndjson`, what `mia publish` is given.
    static func file(_ dataset: BenchDataset, in directory: URL) -> URL {
        directory.appendingPathComponent("\(dataset.name).ndjson")
    }

    /// Writes the main record sets: exactly `referrals` referrals, and every ASF capacity declaration and staff
    /// busy period of a simulated programme just large enough for them.
    /// - Returns: The records per set.
    static func writeMain(referrals: Int, seed: UInt64, to directory: URL) throws -> [BenchDataset: Int] {
        let simulation = try simulate(seed: seed, atLeast: referrals) { $0.referrals.count }
        let lines: [BenchDataset: [String]] = [
            .referrals: Array(simulation.referrals.prefix(referrals)), .asfCapacity: simulation.asfCapacity,
            .calendarBusy: simulation.calendarBusy,
        ]
        return try write(lines, to: directory)
    }

    /// Writes the replay set: every referral, follow-up and outcome of a simulated programme of at least `events`
    /// of them.
    /// - Returns: The records per set.
    static func writeReplay(events: Int, seed: UInt64, to directory: URL) throws -> [BenchDataset: Int] {
        let simulation = try simulate(seed: seed, atLeast: events) {
            $0.referrals.count + $0.followups.count + $0.outcomes.count
        }
        return try write(
            [
                .replayReferrals: simulation.referrals, .replayFollowups: simulation.followups,
                .replayOutcomes: simulation.outcomes,
            ], to: directory)
    }

    /// A programme whose `measure` reaches `target`: sized from a small pilot run, grown if it falls short.
    private static func simulate(seed: UInt64, atLeast target: Int, measure: (SimulationOutput) -> Int) throws
        -> SimulationOutput
    {
        let pilotParticipants = 1000
        let pilot = try ProgrammeSimulator(
            configuration: SimulationConfiguration(participants: pilotParticipants, seed: seed)
        ).run()
        let perParticipant = max(Double(measure(pilot)) / Double(pilotParticipants), 0.1)
        var participants = max(10, Int((Double(target) / perParticipant * 1.02).rounded(.up)))
        while true {
            let output = try ProgrammeSimulator(
                configuration: SimulationConfiguration(participants: participants, seed: seed)
            ).run()
            let reached = measure(output)
            if reached >= target { return output }
            participants = Int((Double(participants) * Double(target) / Double(max(reached, 1)) * 1.02).rounded(.up))
        }
    }

    private static func write(_ sets: [BenchDataset: [String]], to directory: URL) throws -> [BenchDataset: Int] {
        var counts: [BenchDataset: Int] = [:]
        for (dataset, lines) in sets {
            var data = Data()
            for line in lines {
                data.append(contentsOf: line.utf8)
                data.append(UInt8(ascii: "\n"))
            }
            try data.write(to: file(dataset, in: directory))
            counts[dataset] = lines.count
        }
        return counts
    }
}
