/// The kind of insats a participant is referred to.
///
/// The raw values are the contract's JSON codes (see `schemas/`).
public enum InsatsType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Case Management (CM).
    case caseManagement

    /// Supported Employment (SE).
    case supportedEmployment

    /// A group activity: CBT, dramapedagogik, motivational course, conversation support.
    case groupActivity

    /// Arbetsträning at an ASF (work-integrating social enterprise); needs an ASF id.
    case asfWorkTraining

    /// Arbetsträning in a municipality or as a placement (praktik).
    case municipalWorkTraining

    /// Any other insats, for example an assessment of activity capacity.
    case other
}
