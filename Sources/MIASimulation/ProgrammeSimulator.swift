import MIAContracts

/// Generates a realistic MIA programme as agency input files for `mia publish`: ASF capacity, staff busy
/// periods, referrals with synthetic personnummer, follow-ups and outcomes.
///
/// Deterministic: the output depends only on the ``SimulationConfiguration``, through a seeded SplitMix64
/// generator with independent streams for the catalogue, each participant, the calendars and the faults,
/// so the same configuration gives byte-identical files on every machine, and a fault rate changes no
/// valid record. The work grows linearly with the number of participants (apart from sorting).
///
/// ```swift
/// let output = try ProgrammeSimulator(configuration: SimulationConfiguration(seed: 7)).run()
/// try output.write(to: URL(filePath: "simulation"))
/// ```
public struct ProgrammeSimulator: Sendable {
    /// What to generate.
    public var configuration: SimulationConfiguration

    /// Creates a simulator.
    /// - Parameter configuration: What to generate; by default MIA's 2,500 participants over 2017-2020.
    public init(configuration: SimulationConfiguration = SimulationConfiguration()) {
        self.configuration = configuration
    }

    private enum Stream: UInt64 {
        case catalogue = 1, calendar, faults, caseReferences, outcomes
        /// Participant streams are numbered from here.
        static let firstParticipant: UInt64 = 1 << 32
    }

    /// Generates the programme.
    /// - Throws: ``SimulationError/Code/invalidConfiguration`` when the configuration is out of range.
    public func run() throws(SimulationError) -> SimulationOutput {
        try configuration.validate()
        let seed = configuration.seed
        let lastDay = SimulationDay(configuration.to)
        var catalogueGenerator = SplitMix64(seed: seed, stream: Stream.catalogue.rawValue)
        let catalogue = ProgrammeCatalogue(configuration: configuration, generator: &catalogueGenerator)

        let referrals = plannedReferrals(catalogue: catalogue)
        let followups = referrals.map { SimulatedFollowup.followups(of: $0, lastDay: lastDay) }
        var followupOrder: [(date: SimulationDay, referral: Int, index: Int)] = []
        followupOrder.reserveCapacity(followups.reduce(0) { $0 + $1.count })
        for (referral, list) in followups.enumerated() {
            for (index, followup) in list.enumerated() { followupOrder.append((followup.date, referral, index)) }
        }
        followupOrder.sort { ($0.date, $0.referral, $0.index) < ($1.date, $1.referral, $1.index) }
        let ended = referrals.indices
            .filter { referrals[$0].course.end <= lastDay }
            .sorted { (referrals[$0].course.end, $0) < (referrals[$1].course.end, $1) }

        var calendarGenerator = SplitMix64(seed: seed, stream: Stream.calendar.rawValue)
        let busy = SimulatedBusyPeriod.periods(
            owners: catalogue.calendarOwners, count: configuration.participants / 2,
            first: SimulationDay(configuration.from), last: lastDay, generator: &calendarGenerator)

        var injector = FaultInjector(
            rate: configuration.faultRate, generator: SplitMix64(seed: seed, stream: Stream.faults.rawValue))
        let capacityLines = injector.lines(of: .asfCapacity, count: catalogue.capacityDeclarations.count) {
            catalogue.capacityDeclarations[$0].inputRecord
        }
        let busyLines = injector.lines(of: .calendarBusy, count: busy.count) {
            busy[$0].inputRecord(busyId: "cal-\($0 + 1)")
        }
        let referralLines = injector.lines(of: .referral, count: referrals.count) { referrals[$0].inputRecord }
        let followupLines = injector.lines(of: .followup, count: followupOrder.count) {
            let (_, referral, index) = followupOrder[$0]
            return followups[referral][index].inputRecord(of: referrals[referral], number: index + 1)
        }
        let outcomeLines = injector.lines(of: .outcome, count: ended.count) { referrals[ended[$0]].outcomeRecord }

        let recordCounts: [InputRecordKind: Int] = [
            .asfCapacity: catalogue.capacityDeclarations.count, .calendarBusy: busy.count,
            .referral: referrals.count, .followup: followupOrder.count, .outcome: ended.count,
        ]
        let lineCounts: [InputRecordKind: Int] = [
            .asfCapacity: capacityLines.count, .calendarBusy: busyLines.count, .referral: referralLines.count,
            .followup: followupLines.count, .outcome: outcomeLines.count,
        ]
        var outcomeCounts: [String: Int] = [:]
        for index in ended { outcomeCounts[referrals[index].course.outcome.rawValue, default: 0] += 1 }
        let manifest = SimulationManifest(
            seed: seed, participants: configuration.participants, from: configuration.from, to: configuration.to,
            faultRate: configuration.faultRate,
            records: Self.byFileName(recordCounts), lines: Self.byFileName(lineCounts),
            faults: injector.faults.count, outcomes: outcomeCounts)
        return SimulationOutput(
            asfCapacity: capacityLines, calendarBusy: busyLines, referrals: referralLines, followups: followupLines,
            outcomes: outcomeLines, faults: injector.faults, manifest: manifest)
    }

    /// Every participant's referrals in decision order, with referral ids (`ref-2018-sthlm-00042`, numbered
    /// per delprojekt) and agency case references (`AF-2018-004711`, numbered per agency).
    private func plannedReferrals(catalogue: ProgrammeCatalogue) -> [SimulatedReferral] {
        var outcomeGenerator = SplitMix64(seed: configuration.seed, stream: Stream.outcomes.rawValue)
        let planner = ParticipantPlanner(
            catalogue: catalogue, configuration: configuration, outcomeOffset: outcomeGenerator.next())
        var usedPersonnummer = Set<String>(minimumCapacity: configuration.participants)
        var referrals: [SimulatedReferral] = []
        referrals.reserveCapacity(configuration.participants * 11 / 10)
        for participant in 0..<configuration.participants {
            var generator = SplitMix64(
                seed: configuration.seed, stream: Stream.firstParticipant + UInt64(participant))
            referrals += planner.referrals(
                participant: participant, generator: &generator, usedPersonnummer: &usedPersonnummer)
        }
        referrals.sort {
            ($0.decisionDate, $0.participant, $0.ordinal) < ($1.decisionDate, $1.participant, $1.ordinal)
        }
        var generator = SplitMix64(seed: configuration.seed, stream: Stream.caseReferences.rawValue)
        var referralNumbers: [Delprojekt: Int] = [:]
        var caseNumbers: [Agency: Int] = [:]
        for index in referrals.indices {
            let year = referrals[index].decisionDate.year
            let delprojekt = referrals[index].delprojekt
            let agency = referrals[index].handlaggare.agency
            referralNumbers[delprojekt, default: 0] += 1
            caseNumbers[agency, default: generator.int(in: 1000...5000)] += generator.int(in: 1...7)
            referrals[index].referralId =
                "ref-\(year)-\(delprojekt.simulationCode)-\(Self.padded(referralNumbers[delprojekt]!, 5))"
            referrals[index].agencyCaseRef =
                "\(ProgrammeCatalogue.idPrefix(of: agency).uppercased())-\(year)-\(Self.padded(caseNumbers[agency]!, 6))"
        }
        return referrals
    }

    private static func byFileName(_ counts: [InputRecordKind: Int]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { (SimulationOutput.fileName(of: $0.key), $0.value) })
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
