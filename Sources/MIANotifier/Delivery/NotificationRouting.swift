import MIAContracts

/// Which ``NotificationChannel`` each agency's handläggare are reached by.
public struct NotificationRouting: Sendable, Hashable {
    /// The channel of agencies without one of their own.
    public var defaultChannel: NotificationChannel
    /// Channels chosen per agency.
    public var agencyChannels: [Agency: NotificationChannel]

    /// Creates a routing.
    /// - Parameters:
    ///   - defaultChannel: The channel of agencies not in `agencyChannels`; ``NotificationChannel/topic``.
    ///   - agencyChannels: Channels chosen per agency.
    public init(defaultChannel: NotificationChannel = .topic, agencyChannels: [Agency: NotificationChannel] = [:]) {
        self.defaultChannel = defaultChannel
        self.agencyChannels = agencyChannels
    }

    /// The channel that reaches a handläggare of the agency.
    public func channel(for agency: Agency) -> NotificationChannel {
        agencyChannels[agency] ?? defaultChannel
    }
}
