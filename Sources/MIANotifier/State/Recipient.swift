import MIAContracts

/// The handläggare who referred a referral: who is told about it, and how they recognise the case.
struct Recipient: Sendable, Hashable {
    /// The referral.
    var referralId: String
    /// The handläggare's opaque id; the key of the notification record.
    var handlaggareId: String
    /// The handläggare's agency; it decides the channel (see ``NotificationRouting``).
    var agency: Agency
    /// The opaque contact-channel reference from the anvisning, for channels that deliver directly.
    var contactChannel: String
    /// The agency's own case reference.
    var agencyCaseRef: String

    /// The recipient of notifications about an anvisning.
    init(_ referral: ReferralCreated) {
        referralId = referral.referralId
        handlaggareId = referral.handlaggare.id
        agency = referral.handlaggare.agency
        contactChannel = referral.handlaggare.contactChannel
        agencyCaseRef = referral.agencyCaseRef
    }

    /// Creates a value from its fields; see the properties for their meaning.
    init(referralId: String, handlaggareId: String, agency: Agency, contactChannel: String, agencyCaseRef: String) {
        self.referralId = referralId
        self.handlaggareId = handlaggareId
        self.agency = agency
        self.contactChannel = contactChannel
        self.agencyCaseRef = agencyCaseRef
    }
}
