import Foundation

/// Whether non-urgent notifications of direct channels are sent at once or gathered into one digest per
/// handläggare, sent daily at a fixed hour of Europe/Stockholm time (`--digest daily`).
///
/// Urgent notifications (for example a meeting no time could be found for) are always sent at once. The topic
/// channel is not affected: every notification is published on `mia.notification.v1` when it arises, with its
/// `urgent` flag, and an agency's own integration may batch as it likes.
public struct DigestSchedule: Sendable, Hashable, CustomStringConvertible {
    private enum Base: Sendable, Hashable {
        case off
        case daily(hour: Int)
    }

    private let base: Base

    private init(_ base: Base) { self.base = base }

    /// Every notification is sent when it arises; the default.
    public static let off = DigestSchedule(.off)

    /// Non-urgent notifications are held and sent as one digest per handläggare each day at `hour`:00,
    /// Europe/Stockholm time (on the day daylight saving starts, a 02 hour means 03:00).
    /// - Parameter hour: The hour, 0-23; 7 by default.
    public static func daily(at hour: Int = 7) -> DigestSchedule {
        precondition((0...23).contains(hour), "a digest hour is 0-23")
        return DigestSchedule(.daily(hour: hour))
    }

    /// Whether notifications are held for a digest.
    public var isOn: Bool { base != .off }

    /// The time of the first digest after `date`, or `nil` when digests are off.
    public func nextDigest(after date: Date) -> Date? {
        guard case .daily(let hour) = base else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = SwedishText.stockholm
        return calendar.nextDate(
            after: date, matching: DateComponents(hour: hour, minute: 0, second: 0), matchingPolicy: .nextTime)
    }

    /// `off`, or `daily at 07:00 Europe/Stockholm`.
    public var description: String {
        switch base {
        case .off: "off"
        case .daily(let hour): "daily at \(hour < 10 ? "0" : "")\(hour):00 Europe/Stockholm"
        }
    }
}
