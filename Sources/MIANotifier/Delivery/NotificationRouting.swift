import MIAContracts

/// Which ``NotificationChannel`` each agency's handläggare are reached by.
public struct NotificationRouting: Sendable, Hashable, CustomStringConvertible {
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

    /// `default: topic, AF: webhook https://…`: each channel and where it delivers, never a secret.
    public var description: String {
        let agencies = agencyChannels.sorted { $0.key.rawValue < $1.key.rawValue }.map {
            "\($0.key.rawValue): \($0.value)"
        }
        return (["default: \(defaultChannel)"] + agencies).joined(separator: ", ")
    }
}
