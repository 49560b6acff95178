import MIAContracts

/// One simulated anvisning and how the participation goes: the plan as the Resursråd decided it, and the
/// course the simulator chose for it (extension, interruption, outcome).
struct SimulatedReferral {
    /// How the participation ends.
    struct Course {
        /// The situation on leaving.
        var outcome: OutcomeKind
        /// Who runs the ordinary programme, for ``OutcomeKind/ordinaryProgramme``.
        var provider: OrdinaryProgrammeProvider?
        /// The new planned end, when the insats is extended.
        var extendedEnd: SimulationDay?
        /// The last day in the insats: the final planned end, or earlier when interrupted.
        var end: SimulationDay
        /// ESF: in education or training on leaving.
        var inEducationOrTraining: Bool
        /// ESF: gained a qualification on leaving.
        var gainedQualification: Bool
    }

    /// The participant's index in the simulation.
    var participant: Int
    /// 0 for the participant's first referral, 1 for a second.
    var ordinal: Int
    /// The synthetic personnummer, set once the planned start fixes the birth date.
    var personnummer = ""
    var delprojekt: Delprojekt
    var resursrad: String
    var insatsType: InsatsType
    var asfActivity: ProgrammeCatalogue.AsfActivity?
    var insatsContactId: String?
    var handlaggare: ProgrammeCatalogue.Handlaggare
    var decisionDate: SimulationDay
    var plannedStart: SimulationDay
    var plannedEnd: SimulationDay
    var preferredStartDate: SimulationDay?
    var employmentStatus: EmploymentStatus
    var educationLevel: EducationLevel
    var disadvantages: [Disadvantage]
    var course: Course
    /// The seed of the referral's own random stream, for its follow-ups.
    var followupSeed: UInt64
    /// The referral id, assigned once all referrals are in time order.
    var referralId = ""
    /// The agency's case reference, assigned once all referrals are in time order.
    var agencyCaseRef = ""

    /// Whether the participant was inactive at start (for the ESF indicator "newly job searching").
    var wasInactive: Bool {
        employmentStatus == .inactive || employmentStatus == .inactiveNotInEducation
    }

    /// The agency input form (`referral`): the event data with `personnummer` instead of `participantRef`
    /// and without the attributes derived from it.
    var inputRecord: InputRecordObject {
        var record = InputRecordObject()
        record["referralId"] = .string(referralId)
        record["personnummer"] = .string(personnummer)
        record["delprojekt"] = .string(delprojekt.rawValue)
        record["resursrad"] = .string(resursrad)
        record["insatsType"] = .string(insatsType.rawValue)
        if let asfActivity {
            record["asfId"] = .string(asfActivity.asfId)
            record["asfActivity"] = .string(asfActivity.activity)
        }
        if let insatsContactId { record["insatsContactId"] = .string(insatsContactId) }
        var handlaggareObject = InputRecordObject()
        handlaggareObject["agency"] = .string(handlaggare.agency.rawValue)
        handlaggareObject["id"] = .string(handlaggare.id)
        handlaggareObject["contactChannel"] = .string(handlaggare.contactChannel)
        record["handlaggare"] = .object(handlaggareObject)
        record["agencyCaseRef"] = .string(agencyCaseRef)
        record["consentGiven"] = .bool(true)
        record["decisionDate"] = .string(decisionDate.text)
        record["plannedStart"] = .string(plannedStart.text)
        record["plannedEnd"] = .string(plannedEnd.text)
        if let preferredStartDate { record["preferredStartDate"] = .string(preferredStartDate.text) }
        record["employmentStatus"] = .string(employmentStatus.rawValue)
        record["educationLevel"] = .string(educationLevel.rawValue)
        if !disadvantages.isEmpty { record["disadvantages"] = .strings(disadvantages.map(\.rawValue)) }
        return record
    }

    /// The slutdokumentation (`outcome`) in agency input form.
    var outcomeRecord: InputRecordObject {
        var record = InputRecordObject()
        record["referralId"] = .string(referralId)
        record["personnummer"] = .string(personnummer)
        record["endDate"] = .string(course.end.text)
        record["outcome"] = .string(course.outcome.rawValue)
        if let provider = course.provider { record["ordinaryProgrammeProvider"] = .string(provider.rawValue) }
        record["inEducationOrTraining"] = .bool(course.inEducationOrTraining)
        record["gainedQualification"] = .bool(course.gainedQualification)
        let registersAsJobSeeker =
            course.outcome == .jobSeeking || (course.outcome == .ordinaryProgramme && course.provider == .af)
        record["newlyJobSeeking"] = .bool(wasInactive && registersAsJobSeeker)
        return record
    }
}
