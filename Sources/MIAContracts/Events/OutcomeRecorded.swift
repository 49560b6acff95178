/// The slutdokumentation: how a participation ended (`se.mia.outcome.recorded`, topic `mia.outcome.v1`,
/// keyed by participant reference). Feeds the ESF immediate result indicators and the SUS categories.
public struct OutcomeRecorded: EventData {
    /// The referral that ended.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// The participant's last day in the insats.
    public var endDate: CalendarDate
    /// The situation on leaving.
    public var outcome: OutcomeKind
    /// Who runs the ordinary programme; required exactly when ``outcome`` is ``OutcomeKind/ordinaryProgramme``.
    public var ordinaryProgrammeProvider: OrdinaryProgrammeProvider?
    /// ESF: in education or training on leaving.
    public var inEducationOrTraining: Bool
    /// ESF: gained a qualification on leaving.
    public var gainedQualification: Bool
    /// ESF: an inactive participant who is newly job searching on leaving.
    public var newlyJobSeeking: Bool

    /// Creates a value from its fields; see the properties for their meaning.
    public init(
        referralId: String, participantRef: String, endDate: CalendarDate, outcome: OutcomeKind,
        ordinaryProgrammeProvider: OrdinaryProgrammeProvider? = nil, inEducationOrTraining: Bool,
        gainedQualification: Bool, newlyJobSeeking: Bool
    ) {
        self.referralId = referralId
        self.participantRef = participantRef
        self.endDate = endDate
        self.outcome = outcome
        self.ordinaryProgrammeProvider = ordinaryProgrammeProvider
        self.inEducationOrTraining = inEducationOrTraining
        self.gainedQualification = gainedQualification
        self.newlyJobSeeking = newlyJobSeeking
    }

    public var partitionKey: String { participantRef }

    public func violations(as type: EventType) -> [ContractViolation] {
        var check = ViolationCollector()
        check.nonEmpty(referralId, "referralId")
        check.participantRef(participantRef)
        if outcome == .ordinaryProgramme {
            check.present(
                ordinaryProgrammeProvider, "ordinaryProgrammeProvider", "an ordinary programme needs its provider")
        } else {
            check.absent(ordinaryProgrammeProvider, "ordinaryProgrammeProvider", "only for outcome ordinaryProgramme")
        }
        return check.violations
    }
}
