import MIAContracts

/// What the statistics know of one participation (one referral to one insats): its start attributes and, once
/// the slutdokumentation has arrived, how it ended. Carries no participant reference and no personal data.
public struct ParticipationFact: Sendable, Hashable {
    /// The referral's id; the unit of counting (SUS counts each participant per insats).
    public var referralId: String
    public var delprojekt: Delprojekt
    public var insatsType: InsatsType
    public var gender: LegalGender
    /// The first day in the insats (the referral's planned start).
    public var start: CalendarDate
    /// Whole years at ``start``, when known.
    public var age: Int?
    public var employmentStatus: EmploymentStatus
    public var educationLevel: EducationLevel
    public var disadvantages: Set<Disadvantage>
    /// How the participation ended, or `nil` while it runs.
    public var end: ParticipationEnd?

    /// Creates a fact from its fields; see the properties for their meaning.
    public init(
        referralId: String, delprojekt: Delprojekt, insatsType: InsatsType, gender: LegalGender, start: CalendarDate,
        age: Int?, employmentStatus: EmploymentStatus, educationLevel: EducationLevel,
        disadvantages: Set<Disadvantage>, end: ParticipationEnd? = nil
    ) {
        self.referralId = referralId
        self.delprojekt = delprojekt
        self.insatsType = insatsType
        self.gender = gender
        self.start = start
        self.age = age
        self.employmentStatus = employmentStatus
        self.educationLevel = educationLevel
        self.disadvantages = disadvantages
        self.end = end
    }

    /// The fact of a referral, with the age at start from `ageAtStart` or, failing that, from the birth year
    /// and month (a birthday in the start month counts as not yet reached).
    public init(_ referral: ReferralCreated) {
        let start = referral.plannedStart
        var age = referral.ageAtStart
        if let year = referral.birthYear, let month = referral.birthMonth {
            age = start.year - year - (start.month <= month ? 1 : 0)
        }
        self.init(
            referralId: referral.referralId, delprojekt: referral.delprojekt, insatsType: referral.insatsType,
            gender: referral.legalGender, start: start, age: age, employmentStatus: referral.employmentStatus,
            educationLevel: referral.educationLevel, disadvantages: Set(referral.disadvantages ?? []))
    }
}

/// The slutdokumentation of a participation, as the statistics use it.
public struct ParticipationEnd: Sendable, Hashable {
    /// The last day in the insats.
    public var endDate: CalendarDate
    public var outcome: OutcomeKind
    public var inEducationOrTraining: Bool
    public var gainedQualification: Bool
    public var newlyJobSeeking: Bool

    /// Creates an end from its fields; see the properties for their meaning.
    public init(
        endDate: CalendarDate, outcome: OutcomeKind, inEducationOrTraining: Bool, gainedQualification: Bool,
        newlyJobSeeking: Bool
    ) {
        self.endDate = endDate
        self.outcome = outcome
        self.inEducationOrTraining = inEducationOrTraining
        self.gainedQualification = gainedQualification
        self.newlyJobSeeking = newlyJobSeeking
    }

    /// The end recorded by an outcome event.
    public init(_ outcome: OutcomeRecorded) {
        self.init(
            endDate: outcome.endDate, outcome: outcome.outcome, inEducationOrTraining: outcome.inEducationOrTraining,
            gainedQualification: outcome.gainedQualification, newlyJobSeeking: outcome.newlyJobSeeking)
    }
}
