import Foundation

extension DemoSummary {
    /// The summary as the demo prints it.
    var text: String {
        var lines: [String] = []
        func counts(_ title: String, _ values: [String: Int]) {
            lines.append("  \(title):")
            if values.isEmpty { lines.append("    none") }
            for (name, count) in values.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append("    \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)")
            }
        }
        lines.append("  published by mia publish (rejected records never reach Kafka):")
        for (kind, count) in published.sorted(by: { $0.key < $1.key }) {
            lines.append(
                "    \(kind.padding(toLength: 16, withPad: " ", startingAt: 0)) \(count.published) published, \(count.rejected) rejected"
            )
        }
        lines.append("  faulty records put straight on the topics (bypassing mia publish): \(injectedFaults)")
        counts("notifications by kind", notificationsByKind)
        counts("notifications by channel", notificationsByChannel)
        // Booked and unschedulable are always shown, so that no unschedulable meeting is visible as a 0.
        counts("meetings", meetings.merging(["booked": 0, "unschedulable": 0]) { count, _ in count })
        if !unschedulableReasons.isEmpty { counts("unschedulable, by reason", unschedulableReasons) }
        if !meetingExamples.isEmpty {
            lines.append("  booked meetings, for example:")
            lines += meetingExamples.map { "    \($0)" }
        }
        counts("placements", placements)
        lines.append("  ASF places (asf/activity: places, occupied, free, waitlist, status):")
        for row in asf {
            lines.append(
                "    \(row.asfActivity.padding(toLength: 34, withPad: " ", startingAt: 0)) \(row.places) \(row.occupied) \(row.free) \(row.waitlist) \(row.status)"
            )
        }
        lines.append("  ESF headline, whole programme (shares of those who ended; MIA's results: 20 % / 33 %):")
        lines.append("    gender    started   ended   work or studies   ordinary programme")
        for row in headline {
            func number(_ value: Int?) -> String { value.map(String.init) ?? "suppr." }
            func share(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "suppr." }
            lines.append(
                "    \(row.gender.padding(toLength: 8, withPad: " ", startingAt: 0))  \(number(row.started).leftPadded(7))  \(number(row.ended).leftPadded(6))   \(share(row.workOrStudiesShare).leftPadded(15))   \(share(row.ordinaryProgrammeShare).leftPadded(18))"
            )
        }
        lines.append("  dead letters:")
        for (worker, reasons) in deadLetters.sorted(by: { $0.key < $1.key }) {
            lines.append("    mia-\(worker): \(reasons.values.reduce(0, +))")
            for (reason, count) in reasons.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(5) {
                lines.append("      \(String(count).leftPadded(5))  \(reason)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The text right-aligned in a field of `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
