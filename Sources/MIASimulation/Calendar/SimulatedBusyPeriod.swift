/// A busy period in a staff member's calendar during office hours (Europe/Stockholm).
struct SimulatedBusyPeriod {
    var staffId: String
    var day: SimulationDay
    /// Local minutes after midnight.
    var startMinute: Int
    /// Local minutes after midnight, after ``startMinute``.
    var endMinute: Int

    /// About one busy period per two participants, each 30 minutes to three hours between 08:00 and
    /// 17:00 on a working day, spread over the staff and the period, in time order.
    /// - Parameters:
    ///   - owners: The staff ids with calendars.
    ///   - count: How many periods to draw.
    ///   - first: The first day.
    ///   - last: The last day.
    ///   - generator: The calendar's random stream.
    static func periods(
        owners: [String], count: Int, first: SimulationDay, last: SimulationDay, generator: inout SplitMix64
    ) -> [SimulatedBusyPeriod] {
        let span = first.distance(to: last)
        var periods: [SimulatedBusyPeriod] = []
        periods.reserveCapacity(count)
        while periods.count < count {
            let day = first + generator.int(in: 0...span)
            guard day.isWorkingDay else { continue }
            let start = 8 * 60 + 30 * generator.int(in: 0...15)
            let end = min(17 * 60, start + 30 * generator.int(in: 1...6))
            periods.append(
                SimulatedBusyPeriod(
                    staffId: generator.element(of: owners), day: day, startMinute: start, endMinute: end))
        }
        return periods.enumerated()
            .sorted {
                ($0.element.day, $0.element.startMinute, $0.offset) < (
                    $1.element.day, $1.element.startMinute, $1.offset
                )
            }
            .map(\.element)
    }

    /// The agency input form (`calendar-busy`).
    /// - Parameter busyId: The period's id in the source calendar.
    func inputRecord(busyId: String) -> InputRecordObject {
        var record = InputRecordObject()
        record["staffId"] = .string(staffId)
        record["start"] = .string(StockholmTime.utcText(day: day, minuteOfDay: startMinute))
        record["end"] = .string(StockholmTime.utcText(day: day, minuteOfDay: endMinute))
        record["busyId"] = .string(busyId)
        return record
    }
}
