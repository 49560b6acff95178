import MIAContracts

/// How long each topic keeps its records in production, and why: participant data is kept only as long as the
/// programme's follow-up and ESF reporting need it.
enum TopicRetention {
    /// `retention.ms` of a topic; `-1` keeps a compacted topic's latest record per key for ever.
    static func milliseconds(of topic: String) -> Int64 {
        let day: Int64 = 86_400_000
        switch topic {
        case TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome:
            // The statistics are rebuilt from these: kept for the programme period and the ESF's reporting and
            // audit period after it (4 years), then gone.
            return 4 * 365 * day
        case TopicRegistry.placement:
            return 2 * 365 * day  // replayed to audit occupancy over an insats' lifetime
        case TopicRegistry.meeting:
            return 365 * day  // meetings of running insatser; a plan rarely outlives a year
        case TopicRegistry.notification, TopicRegistry.request:
            return 90 * day  // delivered within minutes; kept for support questions
        case TopicRegistry.calendar:
            return 30 * day  // busy periods matter only for the booking window
        case TopicRegistry.asf, TopicRegistry.asfStatus, TopicRegistry.statistics:
            return -1  // compacted, no participant data: the current figures are kept
        default:
            return 30 * day  // dead letters: long enough to fix and replay, not longer
        }
    }

    /// The reason for a topic's retention, for the operator's guide.
    static func reason(of topic: String) -> String {
        switch topic {
        case TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome:
            return
                "4 years: mia-stats rebuilds the ESF statistics from these during the programme and its reporting and audit period"
        case TopicRegistry.placement: return "2 years: occupancy audits replay the placements of running insatser"
        case TopicRegistry.meeting: return "1 year: meetings of running insatser"
        case TopicRegistry.notification, TopicRegistry.request: return "90 days: support questions about deliveries"
        case TopicRegistry.calendar: return "30 days: only the booking window needs busy periods"
        case TopicRegistry.asf, TopicRegistry.asfStatus, TopicRegistry.statistics:
            return "compacted, kept: current figures, no participant data"
        default: return "30 days: time to fix the cause and replay"
        }
    }
}
