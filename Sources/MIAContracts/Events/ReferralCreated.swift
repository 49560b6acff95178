/// An anvisning: the Resursråd refers a participant to an insats (`se.mia.referral.created`).
///
/// Published by `mia publish` on `mia.referral.v1`, keyed by the participant reference. Carries the
/// participant's start attributes for ESF reporting but no name, personnummer or contact detail.
public struct ReferralCreated: EventData {
    /// The referral's id, unique across agencies.
    public var referralId: String
    /// The pseudonymous participant reference (see ``Pseudonymizer``).
    public var participantRef: String
    /// The delprojekt that runs the insats.
    public var delprojekt: Delprojekt
    /// The id of the Resursråd that made the referral.
    public var resursrad: String
    /// The kind of insats.
    public var insatsType: InsatsType
    /// The ASF's id; required exactly when ``insatsType`` is ``InsatsType/asfWorkTraining``.
    public var asfId: String?
    /// The activity at the ASF, for example a café or a workshop; only for ASF work training.
    public var asfActivity: String?
    /// The staff id of the insats's contact person, when already known.
    public var insatsContactId: String?
    /// The referring handläggare.
    public var handlaggare: Handlaggare
    /// The agency's own case reference, opaque to MIAFlow.
    public var agencyCaseRef: String
    /// Whether the participant consented (samtycke). Must be `true`: no consent, no referral.
    public var consentGiven: Bool
    /// The day the Resursråd decided.
    public var decisionDate: CalendarDate
    /// The planned first day of the insats.
    public var plannedStart: CalendarDate
    /// The planned last day of the insats; not before ``plannedStart``.
    public var plannedEnd: CalendarDate
    /// The start date the participant or handläggare prefers, if any.
    public var preferredStartDate: CalendarDate?
    /// Legal gender at start.
    public var legalGender: LegalGender
    /// Year of birth; given together with ``birthMonth``, or replaced by ``ageAtStart``.
    public var birthYear: Int?
    /// Month of birth, `1...12`.
    public var birthMonth: Int?
    /// Age in whole years at ``plannedStart``, when the birth year and month are not given.
    public var ageAtStart: Int?
    /// Labour-market status at start.
    public var employmentStatus: EmploymentStatus
    /// Education level at start.
    public var educationLevel: EducationLevel
    /// Disadvantages reported at start, if any.
    public var disadvantages: [Disadvantage]?

    /// The referring handläggare: agency and opaque references, never a name.
    public struct Handlaggare: Codable, Sendable, Hashable {
        /// The handläggare's agency.
        public var agency: Agency
        /// The handläggare's opaque id at the agency.
        public var id: String
        /// An opaque reference to the channel that reaches the handläggare (resolved by the notifier).
        public var contactChannel: String

        /// Creates a value from its fields; see the properties for their meaning.
        public init(agency: Agency, id: String, contactChannel: String) {
            self.agency = agency
            self.id = id
            self.contactChannel = contactChannel
        }
    }

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        referralId: String, participantRef: String, delprojekt: Delprojekt, resursrad: String,
        insatsType: InsatsType, asfId: String? = nil, asfActivity: String? = nil, insatsContactId: String? = nil,
        handlaggare: Handlaggare, agencyCaseRef: String, consentGiven: Bool, decisionDate: CalendarDate,
        plannedStart: CalendarDate, plannedEnd: CalendarDate, preferredStartDate: CalendarDate? = nil,
        legalGender: LegalGender, birthYear: Int? = nil, birthMonth: Int? = nil, ageAtStart: Int? = nil,
        employmentStatus: EmploymentStatus, educationLevel: EducationLevel, disadvantages: [Disadvantage]? = nil
    ) {
        self.referralId = referralId
        self.participantRef = participantRef
        self.delprojekt = delprojekt
        self.resursrad = resursrad
        self.insatsType = insatsType
        self.asfId = asfId
        self.asfActivity = asfActivity
        self.insatsContactId = insatsContactId
        self.handlaggare = handlaggare
        self.agencyCaseRef = agencyCaseRef
        self.consentGiven = consentGiven
        self.decisionDate = decisionDate
        self.plannedStart = plannedStart
        self.plannedEnd = plannedEnd
        self.preferredStartDate = preferredStartDate
        self.legalGender = legalGender
        self.birthYear = birthYear
        self.birthMonth = birthMonth
        self.ageAtStart = ageAtStart
        self.employmentStatus = employmentStatus
        self.educationLevel = educationLevel
        self.disadvantages = disadvantages
    }

    public var partitionKey: String { participantRef }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        check.nonEmpty(resursrad, "resursrad")
        check.nonEmpty(handlaggare.id, "handlaggare.id")
        check.nonEmpty(handlaggare.contactChannel, "handlaggare.contactChannel")
        check.nonEmpty(agencyCaseRef, "agencyCaseRef")
        check.nonEmpty(insatsContactId, "insatsContactId")
        if !consentGiven {
            check.add(.consentNotGiven, "consentGiven", "the participant's consent is required for a referral")
        }
        if insatsType == .asfWorkTraining {
            if asfId == nil { check.add(.asfIdRequired, "asfId", "work training at an ASF requires the ASF's id") }
            check.nonEmpty(asfId, "asfId")
            check.nonEmpty(asfActivity, "asfActivity")
        } else {
            check.absent(asfId, "asfId", "only for insatsType asfWorkTraining")
            check.absent(asfActivity, "asfActivity", "only for insatsType asfWorkTraining")
        }
        check.notBefore(plannedEnd, plannedStart, "plannedEnd", startField: "plannedStart")
        switch (birthYear, birthMonth, ageAtStart) {
        case (let year?, let month?, _):
            check.within(year, 1900...2100, "birthYear")
            check.within(month, 1...12, "birthMonth")
        case (_?, nil, _):
            check.add(.missingField, "birthMonth", "required field is missing: birthYear needs birthMonth")
        case (nil, _?, _):
            check.add(.missingField, "birthYear", "required field is missing: birthMonth needs birthYear")
        case (nil, nil, let age?):
            check.within(age, 0...130, "ageAtStart")
        case (nil, nil, nil):
            check.add(.missingField, "birthYear", "required field is missing: birthYear and birthMonth, or ageAtStart")
        }
        if let disadvantages, Set(disadvantages).count != disadvantages.count {
            check.add(.invalidValue, "disadvantages", "must not repeat a disadvantage")
        }
        return check.violations
    }
}
