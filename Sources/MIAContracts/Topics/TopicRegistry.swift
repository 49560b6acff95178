/// The single source of truth for MIAFlow's topics: names, partitions, configs and keys.
///
/// Participant-scoped topics are keyed by participant reference and share one partition count so
/// that they are co-partitioned: partition *n* of every one of them holds the same participants.
public struct TopicRegistry: Sendable, Hashable {
    /// Partition count of the participant-scoped topics.
    public var participantPartitions: Int
    /// Partition count of the other topics.
    public var otherPartitions: Int
    /// Replication factor for a real cluster (ignored by the development broker).
    public var replicationFactor: Int

    /// The default registry: 6 partitions for participant-scoped topics, replication 3.
    public static let `default` = TopicRegistry()

    public init(participantPartitions: Int = 6, otherPartitions: Int = 6, replicationFactor: Int = 3) {
        self.participantPartitions = participantPartitions
        self.otherPartitions = otherPartitions
        self.replicationFactor = replicationFactor
    }

    // MARK: Names

    public static let referral = "mia.referral.v1"
    public static let followup = "mia.followup.v1"
    public static let outcome = "mia.outcome.v1"
    public static let request = "mia.request.v1"
    public static let meeting = "mia.meeting.v1"
    public static let calendar = "mia.calendar.v1"
    public static let asf = "mia.asf.v1"
    public static let placement = "mia.placement.v1"
    public static let asfStatus = "mia.asf-status.v1"
    public static let notification = "mia.notification.v1"
    public static let statistics = "mia.statistics.v1"

    /// The dead-letter topic of a worker, `mia.dlq.<worker>`.
    public static func deadLetter(worker: String) -> String { "mia.dlq.\(worker)" }

    /// The four workers, each with its own dead-letter topic.
    public static let workers = ["notifier", "booker", "capacity", "stats"]

    /// The names of the participant-scoped (co-partitioned) topics.
    public static let participantScoped: Set<String> = [referral, followup, outcome, request, meeting]

    // MARK: Topics

    /// Every topic, in a stable order.
    public var topics: [TopicSpec] {
        let compact = ["cleanup.policy": "compact"]
        func participant(_ name: String, _ summary: String) -> TopicSpec {
            TopicSpec(
                name: name, partitions: participantPartitions, replicationFactor: replicationFactor,
                key: .participantRef, summary: summary)
        }
        func other(_ name: String, key: TopicKey, configs: [String: String] = [:], _ summary: String) -> TopicSpec {
            TopicSpec(
                name: name, partitions: otherPartitions, replicationFactor: replicationFactor,
                configs: configs, key: key, summary: summary)
        }
        var all: [TopicSpec] = [
            participant(Self.referral, "Anvisningar (referrals) from the Resursråd to an insats."),
            participant(
                Self.followup, "Uppföljningar: feedback, follow-up meetings, plan updates, extensions, approaching end."
            ),
            participant(Self.outcome, "Slutdokumentation: the outcome when a participant leaves an insats."),
            participant(Self.request, "Operational requests: reschedule a meeting, withdraw a placement."),
            participant(
                Self.meeting,
                "The booker's trepartsmöten and follow-up meetings: booked, rescheduled, cancelled, unschedulable."),
            other(Self.calendar, key: .staffId, "Busy periods of staff, published by agency calendar integrations."),
            other(Self.asf, key: .asfActivity, configs: compact, "ASF capacity declarations per ASF and activity."),
            other(
                Self.placement, key: .asfId,
                "The capacity worker's placement events: reserved, waitlisted, placed, released, withdrawn."),
            other(
                Self.asfStatus, key: .asfActivity, configs: compact,
                "Current places, occupancy and waitlist per ASF and activity."),
            other(Self.notification, key: .handlaggareId, "Notifications to handläggare."),
            other(
                Self.statistics, key: .statisticsCell, configs: compact, "ESF statistics cells, disclosure-controlled."),
        ]
        for worker in Self.workers {
            all.append(
                other(
                    Self.deadLetter(worker: worker), key: .original,
                    "Dead letters of mia-\(worker): original bytes, reason in headers."))
        }
        return all
    }

    /// The topic with the given name, or `nil` when the registry does not know it.
    public func topic(named name: String) -> TopicSpec? {
        topics.first { $0.name == name }
    }
}
