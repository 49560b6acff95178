import MIAContracts

/// A participant referred to an ASF activity, as the ledger sees them: on the waitlist or holding a place.
public struct PlacementCandidate: Sendable, Hashable {
    /// The referral (anvisning) the place is for.
    public var referralId: String
    /// The pseudonymous participant reference.
    public var participantRef: String
    /// The first day the participant can start: the preferred start date when given, else the planned start.
    /// A place is never dated before it.
    public var earliestStart: CalendarDate

    /// Creates a candidate from its fields; see the properties for their meaning.
    public init(referralId: String, participantRef: String, earliestStart: CalendarDate) {
        self.referralId = referralId
        self.participantRef = participantRef
        self.earliestStart = earliestStart
    }
}
