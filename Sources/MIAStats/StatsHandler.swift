import MIAContracts
import MIAWorkerRuntime

/// The `mia-stats` worker's handler: keeps one fact per referral and per outcome, idempotently.
///
/// Reads `mia.referral.v1` (start attributes), `mia.outcome.v1` (the end) and `mia.followup.v1` (accepted, not
/// counted: no published figure depends on follow-ups). It writes nothing itself: the
/// ``StatisticsPublisher`` service recomputes the table from the facts at most once per interval and publishes
/// the changed cells, so the cost per event is one upsert and figures never double-count a redelivery.
public struct StatsHandler: WorkerHandler {
    /// Creates the handler.
    public init() {}

    public var name: String { "stats" }

    public var inputTopics: [String] { [TopicRegistry.referral, TopicRegistry.followup, TopicRegistry.outcome] }

    public var outputTopics: [String] { [TopicRegistry.statistics] }

    public var migrations: [StoreMigration] { StatsTables.migrations }

    public func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput] {
        let facts = StatsFacts(transaction)
        switch input.event.payload {
        case .referralCreated(let referral):
            try facts.record(ParticipationFact(referral), eventId: input.event.id)
        case .outcomeRecorded(let outcome):
            try facts.record(ParticipationEnd(outcome), referralId: outcome.referralId, eventId: input.event.id)
        default:
            break
        }
        return []
    }
}
