import Foundation
import MIAContracts

/// Finds a meeting slot free for every party: the booking rules as plain Swift, without I/O.
///
/// The candidates are the starts on the ``BookerConfiguration/slotStepMinutes`` grid from the start of office
/// hours such that the meeting ends by the end of office hours, on every given working day, in time order. A
/// candidate is free for a party when
/// - the meeting plus the buffer after it, `[start, end + buffer)`, overlaps none of the party's meetings plus
///   the buffer after each (so two meetings of one person are at least one buffer apart),
/// - `[start - buffer, end + buffer)` overlaps none of the party's busy periods, and
/// - a staff member has fewer than ``BookerConfiguration/maxMeetingsPerStaffPerDay`` meetings that day.
///
/// **Fair spread.** With ``Order/spread(key:)`` the scan starts at the candidate whose index is the FNV-1a
/// hash of the key (the meeting id) modulo the number of candidates, and wraps around; so the same input gives
/// the same slot, and meetings spread evenly over the window instead of piling up on its first morning.
/// ``Order/earliest`` scans from the first candidate (used to move a meeting to the next valid slot).
public struct SlotFinder: Sendable {
    /// Where the scan over the candidates starts.
    public struct Order: Sendable, Hashable {
        fileprivate let key: String?

        /// The first free candidate in time order.
        public static let earliest = Order(key: nil)

        /// A deterministic starting point derived from `key`, wrapping around the window.
        public static func spread(key: String) -> Order { Order(key: key) }
    }

    /// The office hours, lengths, buffer and daily limit.
    public let rules: BookerConfiguration
    /// Working days and local time.
    public let calendar: WorkingCalendar

    /// Creates a finder for the given rules.
    public init(rules: BookerConfiguration, calendar: WorkingCalendar = WorkingCalendar()) {
        self.rules = rules
        self.calendar = calendar
    }

    /// Every candidate slot on the given days, in time order (non-working days give none).
    public func candidates(on days: [CalendarDate]) -> [Slot] {
        var slots: [Slot] = []
        for day in days where calendar.isWorkingDay(day) {
            // Office hours start after 03:00, past any clock change of the day, so the offset from UTC is the
            // same all through them: one time-zone conversion per day.
            let opening = calendar.instant(day, minute: rules.officeStart)
            var minute = rules.officeStart
            while minute + rules.meetingMinutes <= rules.officeEnd {
                let start = opening.addingTimeInterval(TimeInterval((minute - rules.officeStart) * 60))
                slots.append(
                    Slot(day: day, start: start, end: start.addingTimeInterval(TimeInterval(rules.meetingMinutes * 60)))
                )
                minute += rules.slotStepMinutes
            }
        }
        return slots
    }

    /// The first free slot on `days` in the given order, or `nil` when none is free for every party.
    public func find(on days: [CalendarDate], parties: [PartySchedule], order: Order) -> Slot? {
        let slots = candidates(on: days)
        guard !slots.isEmpty else { return nil }
        let first = order.key.map { Int(Self.fnv1a($0) % UInt64(slots.count)) } ?? 0
        for step in 0..<slots.count {
            let slot = slots[(first + step) % slots.count]
            if parties.allSatisfy({ isFree(slot, for: $0) }) { return slot }
        }
        return nil
    }

    /// Whether `slot` is free for `party` under the rules.
    public func isFree(_ slot: Slot, for party: PartySchedule) -> Bool {
        let buffer = TimeInterval(rules.bufferMinutes * 60)
        if party.isStaff, party.meetingsPerDay[slot.day, default: 0] >= rules.maxMeetingsPerStaffPerDay {
            return false
        }
        let claimed = slot.start..<slot.end.addingTimeInterval(buffer)
        for meeting in party.meetings where claimed.overlaps(meeting.lowerBound..<meeting.upperBound + buffer) {
            return false
        }
        let guarded = slot.start.addingTimeInterval(-buffer)..<slot.end.addingTimeInterval(buffer)
        return !party.busy.contains { !$0.isEmpty && guarded.overlaps($0) }
    }

    /// 64-bit FNV-1a of the UTF-8 bytes: stable across processes and platforms, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
