import MIAContracts

/// Settings of a ``NotifierHandler``.
public struct NotifierConfiguration: Sendable {
    /// The templates notifications are rendered with; the shipped ones by default.
    public var templates: NotificationTemplates
    /// The channel each agency is reached by; the topic for every agency by default.
    public var routing: NotificationRouting
    /// The `ORGANIZER` of calendar invitations, a calendar address such as `mailto:mia-notiser@example.org`; none
    /// by default. RFC 5546 requires one in every `REQUEST` and `CANCEL`: ``validated()`` refuses a configuration
    /// that sends invitations by e-mail without it.
    public var calendarOrganizer: String?

    /// Creates a configuration; see the properties for the defaults.
    public init(
        templates: NotificationTemplates = .builtIn, routing: NotificationRouting = NotificationRouting(),
        calendarOrganizer: String? = nil
    ) {
        self.templates = templates
        self.routing = routing
        self.calendarOrganizer = calendarOrganizer
    }

    /// The configuration as the worker runs it: the organizer written as a `mailto:` address.
    /// - Throws: ``NotifierError`` `organizerInvalid` when an e-mail channel sends invitations and no organizer is
    ///   configured, or when the organizer is not an address. The message names `--calendar-organizer`.
    public func validated() throws(NotifierError) -> NotifierConfiguration {
        var configuration = self
        if let organizer = calendarOrganizer {
            let address = organizer.lowercased().hasPrefix("mailto:") ? String(organizer.dropFirst(7)) : organizer
            guard EmailAddress.isValid(address) else {
                throw NotifierError(
                    .organizerInvalid,
                    "--calendar-organizer (MIA_NOTIFIER_CALENDAR_ORGANIZER): \(organizer) is not an address")
            }
            configuration.calendarOrganizer = "mailto:\(address)"
        }
        let byEmail = Agency.allCases.filter { routing.channel(for: $0).email != nil }
        if configuration.calendarOrganizer == nil && !byEmail.isEmpty {
            throw NotifierError(
                .organizerInvalid,
                "--calendar-organizer (MIA_NOTIFIER_CALENDAR_ORGANIZER) is required when invitations go by e-mail "
                    + "(\(byEmail.map(\.rawValue).joined(separator: ", "))): RFC 5546 invitations name their ORGANIZER")
        }
        return configuration
    }
}
