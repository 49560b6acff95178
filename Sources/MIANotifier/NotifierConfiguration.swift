/// Settings of a ``NotifierHandler``.
public struct NotifierConfiguration: Sendable {
    /// The templates notifications are rendered with; the shipped ones by default.
    public var templates: NotificationTemplates
    /// The channel each agency is reached by; the topic for every agency by default.
    public var routing: NotificationRouting
    /// The `ORGANIZER` of calendar invitations, a calendar address such as `mailto:mia@example.org`; none by
    /// default. Some calendar clients need one to accept an invitation.
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
}
