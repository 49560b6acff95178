import Foundation
import MIAContracts
import MIAKafka
import MIAWorkerRuntime

/// What the demo shows at the end, computed from the records on the topics (never from the workers' own
/// counters), and written to `demo-output/summary.json`.
struct DemoSummary: Codable, Sendable {
    /// Records published and rejected by `mia publish`, per input kind.
    var published: [String: PublishCount] = [:]
    /// Faulty records put straight on the topics, bypassing `mia publish`.
    var injectedFaults = 0
    /// Notifications on `mia.notification.v1`, by kind and by channel.
    var notificationsByKind: [String: Int] = [:]
    var notificationsByChannel: [String: Int] = [:]
    /// Meeting events on `mia.meeting.v1`, by type (`booked`, `rescheduled`, `cancelled`, `unschedulable`).
    var meetings: [String: Int] = [:]
    /// Why meetings could not be scheduled, by reason code.
    var unschedulableReasons: [String: Int] = [:]
    /// A few booked meetings, as text.
    var meetingExamples: [String] = []
    /// Placement events on `mia.placement.v1`, by type.
    var placements: [String: Int] = [:]
    /// The latest capacity status of every ASF activity.
    var asf: [AsfRow] = []
    /// The ESF headline figures for the whole programme, by gender.
    var headline: [HeadlineRow] = []
    /// Dead letters per worker, by reason.
    var deadLetters: [String: [String: Int]] = [:]

    struct PublishCount: Codable, Sendable, Hashable {
        var published: Int
        var rejected: Int
    }

    struct AsfRow: Codable, Sendable, Hashable {
        var asfActivity: String
        var places: Int
        var occupied: Int
        var free: Int
        var waitlist: Int
        var status: String
    }

    struct HeadlineRow: Codable, Sendable, Hashable {
        var gender: String
        var started: Int?
        var ended: Int?
        var workOrStudiesShare: Double?
        var ordinaryProgrammeShare: Double?
    }

    /// The indicators of the headline table.
    static let headlineIndicators = (
        started: "started", ended: "ended", workOrStudies: "workOrStudies", ordinary: "ordinaryProgramme"
    )

    /// Fills in the figures from the records of the output and dead-letter topics.
    mutating func add(records: [KafkaConsumerMessage]) {
        let decoder = EventDecoder()
        var latestStatus: [String: AsfCapacityStatus] = [:]
        var cells: [String: StatisticsCell] = [:]
        for record in records {
            if record.topic.hasPrefix("mia.dlq.") {
                // Replay markers (`mia dlq replay`) are not letters.
                guard record.headers.string(named: DeadLetter.replayedMarkerHeader) == nil else { continue }
                let worker = String(record.topic.dropFirst("mia.dlq.".count))
                let reason = record.headers.first { $0.name == "mia-error-reason" }?.stringValue ?? "unknown"
                deadLetters[worker, default: [:]][Self.shortReason(reason), default: 0] += 1
                continue
            }
            guard let event = try? decoder.decode(record.value) else { continue }
            switch event.payload {
            case .notificationRequested(let notification):
                notificationsByKind[notification.kind.rawValue, default: 0] += 1
                notificationsByChannel[notification.channel, default: 0] += 1
            case .meetingBooked(let meeting):
                meetings["booked", default: 0] += 1
                if meetingExamples.count < 3 { meetingExamples.append(Self.describe(meeting)) }
            case .meetingRescheduled: meetings["rescheduled", default: 0] += 1
            case .meetingCancelled: meetings["cancelled", default: 0] += 1
            case .meetingUnschedulable(let meeting):
                meetings["unschedulable", default: 0] += 1
                unschedulableReasons[meeting.reason ?? "unknown", default: 0] += 1
            case .placementReserved, .placementWaitlisted, .placementPlacedFromWaitlist, .placementReleased,
                .placementWithdrawn:
                placements[String(event.type.name.split(separator: ".").last ?? ""), default: 0] += 1
            case .asfCapacityStatus(let status):
                latestStatus[status.partitionKey] = status
            case .statisticsCell(let cell):
                cells[cell.partitionKey] = cell
            default:
                break
            }
        }
        asf = latestStatus.keys.sorted().compactMap { key in
            latestStatus[key].map {
                AsfRow(
                    asfActivity: key, places: $0.places, occupied: $0.occupied, free: $0.free,
                    waitlist: $0.waitlistLength, status: $0.status.rawValue)
            }
        }
        headline = [StatisticsGender.total, .kvinna, .man].map { gender in
            func cell(_ indicator: String) -> StatisticsCell? {
                cells[
                    StatisticsCell(
                        period: "all", periodType: .programme, delprojekt: StatisticsCell.allDelprojekt,
                        breakdown: .init(gender: gender, insatsType: StatisticsCell.allInsatser), indicator: indicator,
                        value: nil, share: nil, suppressed: true, suppressionMethod: .primary, threshold: 0
                    ).partitionKey]
            }
            let names = Self.headlineIndicators
            return HeadlineRow(
                gender: gender.rawValue, started: cell(names.started)?.value, ended: cell(names.ended)?.value,
                workOrStudiesShare: cell(names.workOrStudies)?.share,
                ordinaryProgrammeShare: cell(names.ordinary)?.share)
        }
    }

    /// A dead-letter reason without the details that differ per record (line numbers, values).
    static func shortReason(_ reason: String) -> String {
        let firstLine = reason.split(separator: "\n").first.map(String.init) ?? reason
        return String(firstLine.prefix(100))
    }

    private static func describe(_ meeting: MeetingEvent) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.timeZone = TimeZone(identifier: "Europe/Stockholm")
        formatter.dateFormat = "EEE yyyy-MM-dd HH:mm"
        let start = meeting.start.map(formatter.string(from:)) ?? "?"
        let end = meeting.end.map { formatter.string(from: $0).suffix(5) } ?? "?"
        return
            "\(meeting.kind.rawValue) \(start)-\(end) referral \(meeting.referralId), handläggare \(meeting.handlaggareId), insats staff \(meeting.insatsStaffId ?? "-")"
    }
}
