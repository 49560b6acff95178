import MIAContracts

/// Draws each participant's start attributes, personnummer and referrals, with MIA's mix of delprojekt,
/// insatser and outcomes.
struct ParticipantPlanner {
    private static let insatser = WeightedChoice<InsatsType>([
        .caseManagement: 25, .supportedEmployment: 20, .groupActivity: 18, .asfWorkTraining: 15,
        .municipalWorkTraining: 12, .other: 10,
    ])
    private static let employmentStatuses = WeightedChoice<EmploymentStatus>([
        .longTermUnemployed: 35, .unemployed: 15, .inactiveNotInEducation: 33, .inactive: 10, .employed: 7,
    ])
    private static let educationLevels = WeightedChoice<EducationLevel>([.isced0_2: 40, .isced3_4: 45, .isced5_8: 15])
    /// MIA's results as stated in the MIA Vidare application, 20 % work or studies and 33 % ordinary
    /// programme, among the participations that have ended. Interruptions end early, so more of them end
    /// within the period: they are drawn a little less often than the 15 % they make up of the outcomes.
    private static let outcomes = WeightedChoice<OutcomeKind>([
        .work: 27, .studies: 15, .ordinaryProgramme: 67, .jobSeeking: 30, .other: 34, .interrupted: 27,
    ])
    private static let providers = WeightedChoice<OrdinaryProgrammeProvider>([.af: 60, .kommun: 40])
    /// Ages 16-64, most of them 25-54.
    private static let ages = WeightedChoice(
        values: Array(16...64), weights: (16...64).map { age in age < 25 ? 6 : age <= 54 ? 7 : 4 })
    private static let disadvantageShares: [(Disadvantage, Double)] = [
        (.migrantOrForeignBackground, 0.45), (.disability, 0.30), (.otherDisadvantaged, 0.20),
    ]

    private let catalogue: ProgrammeCatalogue
    private let delprojektChoice: WeightedChoice<Delprojekt>
    private let firstDecision: SimulationDay
    private let lastDecision: SimulationDay
    /// The start of the outcomes' low-discrepancy sequence, from the seed.
    private let outcomeOffset: UInt64

    /// Creates a planner.
    /// - Parameters:
    ///   - catalogue: The Resursråd, staff and ASF activities to draw from.
    ///   - configuration: The period: decisions fall from its first day until six weeks before its last.
    ///   - outcomeOffset: A random start for the sequence that spreads the outcomes.
    init(catalogue: ProgrammeCatalogue, configuration: SimulationConfiguration, outcomeOffset: UInt64) {
        self.catalogue = catalogue
        delprojektChoice = WeightedChoice(
            values: Delprojekt.allCases, weights: Delprojekt.allCases.map(\.simulationWeight))
        firstDecision = SimulationDay(configuration.from)
        lastDecision = SimulationDay(configuration.to) - 45
        self.outcomeOffset = outcomeOffset
    }

    /// The referrals of one participant: one, and for about a tenth a second one to another insats later.
    /// - Parameters:
    ///   - participant: The participant's index.
    ///   - generator: The participant's random stream.
    ///   - usedPersonnummer: The numbers given so far; the new one is added, never repeated.
    func referrals(
        participant: Int, generator: inout SplitMix64, usedPersonnummer: inout Set<String>
    ) -> [SimulatedReferral] {
        let delprojekt = delprojektChoice.draw(using: &generator)
        let handlaggare = generator.element(of: catalogue.handlaggare[delprojekt] ?? [])
        let decision = decisionDay(using: &generator)
        let age = Self.ages.draw(using: &generator)
        let attributes = StartAttributes(
            employmentStatus: Self.employmentStatuses.draw(using: &generator),
            educationLevel: Self.educationLevels.draw(using: &generator),
            disadvantages: Self.disadvantageShares.compactMap { generator.chance($0.1) ? $0.0 : nil })
        var first = referral(
            participant: participant, ordinal: 0, delprojekt: delprojekt, handlaggare: handlaggare,
            decision: decision, insatsType: Self.insatser.draw(using: &generator), attributes: attributes,
            generator: &generator)
        let birthDate = first.plannedStart.addingMonths(-12 * age) - generator.int(in: 0...364)
        let isMan = generator.chance(0.5)
        let isSamordningsnummer = generator.chance(0.02)
        var personnummer: String
        repeat {
            personnummer = SyntheticPersonnummer.make(
                birthDate: birthDate, birthNumber: 2 * generator.int(in: 0...499) + (isMan ? 1 : 0),
                samordningsnummer: isSamordningsnummer)
        } while !usedPersonnummer.insert(personnummer).inserted
        first.personnummer = personnummer

        guard generator.chance(0.1), age < 64 else { return [first] }
        let secondDecision = (first.plannedStart + generator.int(in: 60...300)).workingDayOrNext
        guard secondDecision <= lastDecision else { return [first] }
        var insatsType = Self.insatser.draw(using: &generator)
        while insatsType == first.insatsType { insatsType = Self.insatser.draw(using: &generator) }
        let secondHandlaggare =
            generator.chance(0.7) ? handlaggare : generator.element(of: catalogue.handlaggare[delprojekt] ?? [])
        var second = referral(
            participant: participant, ordinal: 1, delprojekt: delprojekt, handlaggare: secondHandlaggare,
            decision: secondDecision, insatsType: insatsType, attributes: attributes, generator: &generator)
        second.personnummer = personnummer
        return [first, second]
    }

    /// A decision day: uniform over the period after a ramp-up over its first fifth.
    private func decisionDay(using generator: inout SplitMix64) -> SimulationDay {
        let span = firstDecision.distance(to: lastDecision)
        let ramp = max(1, span / 5)
        while true {
            let offset = generator.int(in: 0...span)
            if offset >= ramp || generator.int(below: ramp) < offset + ramp / 10 {
                return (firstDecision + offset).workingDayOrNext
            }
        }
    }

    /// The start attributes of a participant, the same in each of their referrals.
    private struct StartAttributes {
        var employmentStatus: EmploymentStatus
        var educationLevel: EducationLevel
        var disadvantages: [Disadvantage]
    }

    /// A referral's plan and course; the caller sets the personnummer, which depends on the planned start.
    private func referral(
        participant: Int, ordinal: Int, delprojekt: Delprojekt, handlaggare: ProgrammeCatalogue.Handlaggare,
        decision: SimulationDay, insatsType: InsatsType, attributes: StartAttributes, generator: inout SplitMix64
    ) -> SimulatedReferral {
        let plannedStart = (decision + generator.int(in: 3...35)).workingDayOrNext
        let plannedEnd = (plannedStart.addingMonths(generator.int(in: 3...12)) - 1).workingDayOrPrevious
        let preferredStart: SimulationDay? =
            generator.chance(0.2) ? max(decision + 1, plannedStart - generator.int(in: 0...7)) : nil
        let staff = catalogue.insatsStaff[delprojekt] ?? []
        return SimulatedReferral(
            participant: participant, ordinal: ordinal, delprojekt: delprojekt,
            resursrad: "rr-\(delprojekt.simulationCode)-\(generator.int(in: 1...delprojekt.resursradCount))",
            insatsType: insatsType,
            asfActivity: insatsType == .asfWorkTraining
                ? generator.element(of: catalogue.asfActivities[delprojekt] ?? []) : nil,
            insatsContactId: generator.chance(0.6) ? generator.element(of: staff) : nil,
            handlaggare: handlaggare, decisionDate: decision, plannedStart: plannedStart, plannedEnd: plannedEnd,
            preferredStartDate: preferredStart, employmentStatus: attributes.employmentStatus,
            educationLevel: attributes.educationLevel, disadvantages: attributes.disadvantages,
            course: course(
                start: plannedStart, plannedEnd: plannedEnd,
                outcomePoint: outcomeOffset &+ UInt64(2 * participant + ordinal) &* 0x9E37_79B9_7F4A_7C15,
                generator: &generator),
            followupSeed: generator.next())
    }

    /// How a participation goes: its outcome, an extension for about a tenth of those that run their
    /// course, and an early end for interruptions.
    /// - Parameters:
    ///   - outcomePoint: The referral's point in a golden-ratio (Weyl) sequence over all referrals, so
    ///     that the outcome shares match the weights closely even for a few thousand participants.
    private func course(
        start: SimulationDay, plannedEnd: SimulationDay, outcomePoint: UInt64, generator: inout SplitMix64
    ) -> SimulatedReferral.Course {
        let outcome = Self.outcomes.value(at: outcomePoint)
        let provider = outcome == .ordinaryProgramme ? Self.providers.draw(using: &generator) : nil
        var extendedEnd: SimulationDay?
        let end: SimulationDay
        if outcome == .interrupted {
            let latest = max(14, start.distance(to: plannedEnd) * 3 / 4)
            end = min(plannedEnd, (start + generator.int(in: 14...latest)).workingDayOrNext)
        } else {
            if generator.chance(0.1) {
                extendedEnd = plannedEnd.addingMonths(generator.int(in: 1...3)).workingDayOrPrevious
            }
            end = extendedEnd ?? plannedEnd
        }
        let inEducation = outcome == .studies || (outcome == .ordinaryProgramme && generator.chance(0.25))
        let qualified = [.work, .studies, .ordinaryProgramme].contains(outcome) && generator.chance(0.1)
        return SimulatedReferral.Course(
            outcome: outcome, provider: provider, extendedEnd: extendedEnd, end: end,
            inEducationOrTraining: inEducation, gainedQualification: qualified)
    }
}
