import Foundation
import MIAContracts
import MIAWorkerRuntime

/// The `mia-capacity` worker: ASF training places, reservations and first-in-first-out waitlists, never
/// overbooked.
///
/// Reads capacity declarations (`mia.asf.v1`), anvisningar to ASF work training (`mia.referral.v1`),
/// slutdokumentation (`mia.outcome.v1`) and withdrawal requests (`mia.request.v1`). Writes placement decisions
/// to `mia.placement.v1` (keyed by ASF id) and, after every change of an activity, its
/// `se.mia.asf.capacity-status` snapshot to the compacted `mia.asf-status.v1` (keyed by `<asfId>/<activity>`).
/// The rules are ``CapacityLedger``'s; the invariants are enforced by the store (see ``CapacityTables``).
///
/// - An anvisning names an ASF and usually an activity. Without an activity, the ASF's only declared activity
///   is used; an ASF with several activities, or one never declared, is a validation error (dead letter).
/// - A participant holds or waits for at most one place per ASF: a second anvisning of the same participant to
///   the same ASF under another referral id is a validation error. The same referral again has no effect.
/// - An outcome ends the referral: its place is released and given to the first waiting, or it leaves the
///   waitlist as withdrawn. An outcome or withdrawal that arrives before its anvisning closes the referral, so
///   that the anvisning, when it comes, is not placed.
///
/// - Important: Replicas must share one store (one SQLite file on one host, or PostgreSQL): the consumer group
///   splits every input topic's partitions, so each declaration reaches only one replica, and the state, not
///   the replica, is what every decision reads.
public struct CapacityHandler: WorkerHandler {
    /// Creates the handler.
    public init() {}

    public var name: String { "capacity" }

    public var inputTopics: [String] {
        [TopicRegistry.asf, TopicRegistry.referral, TopicRegistry.outcome, TopicRegistry.request]
    }

    public var outputTopics: [String] { [TopicRegistry.placement, TopicRegistry.asfStatus] }

    public var migrations: [StoreMigration] { CapacityTables.migrations }

    public func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput] {
        let state = CapacityState(transaction)
        let event = input.event
        switch event.payload {
        case .asfCapacityDeclared(let declaration):
            try state.declare(declaration)
            let asf = AsfActivity(asfId: declaration.asfId, activity: declaration.activity)
            return try change(asf, state, at: event.time, declared: true) { ledger in
                ledger.declare(places: declaration.places, status: declaration.status, from: declaration.fromDate)
            }
        case .referralCreated(let referral):
            return try refer(referral, state, at: event.time)
        case .outcomeRecorded(let outcome):
            guard let holding = try state.holding(referralId: outcome.referralId) else {
                try state.close(referralId: outcome.referralId, reason: "outcome before anvisning")
                return []
            }
            return try change(holding.asf, state, at: event.time, through: holding) { ledger in
                ledger.end(referralId: outcome.referralId, on: outcome.endDate)
            }
        case .placementWithdrawRequested(let request):
            let asf = AsfActivity(asfId: request.asfId, activity: request.activity)
            guard let holding = try state.holding(referralId: request.referralId) else {
                try state.close(referralId: request.referralId, reason: "withdrawn before anvisning")
                return []
            }
            guard holding.asf == asf else {
                throw HandlerRejection(
                    validation: "referral \(request.referralId) is at \(holding.asf), not at \(asf)")
            }
            let day = CalendarDate(event.time, in: Self.stockholm)
            return try change(asf, state, at: event.time, through: holding) { ledger in
                ledger.withdraw(referralId: request.referralId, on: day)
            }
        default:
            return []
        }
    }

    private func refer(_ referral: ReferralCreated, _ state: CapacityState, at time: Date) throws -> [WorkerOutput] {
        guard referral.insatsType == .asfWorkTraining, let asfId = referral.asfId else { return [] }
        if try state.holding(referralId: referral.referralId) != nil || state.isClosed(referralId: referral.referralId)
        {
            return []
        }
        let asf = AsfActivity(asfId: asfId, activity: try activity(of: referral, asfId: asfId, state))
        if let other = try state.referral(of: referral.participantRef, at: asfId) {
            throw HandlerRejection(
                validation: "the participant already holds or waits for a place at ASF \(asfId) (referral \(other))")
        }
        let candidate = PlacementCandidate(
            referralId: referral.referralId, participantRef: referral.participantRef,
            earliestStart: referral.preferredStartDate ?? referral.plannedStart)
        return try change(asf, state, at: time) { ledger in ledger.refer(candidate, on: referral.decisionDate) }
    }

    /// The activity of an anvisning: the one it names, else the ASF's only declared activity.
    private func activity(of referral: ReferralCreated, asfId: String, _ state: CapacityState) throws -> String {
        let declared = try state.activities(of: asfId)
        // The declaration may still be on its way (another topic, maybe another replica): retry before giving up.
        guard !declared.isEmpty else {
            throw RetryLater(validation: "unknown ASF \(asfId): no capacity has been declared for it")
        }
        if let activity = referral.asfActivity {
            guard declared.contains(activity) else {
                throw RetryLater(
                    validation:
                        "unknown activity \(activity) at ASF \(asfId); declared: \(declared.joined(separator: ", "))")
            }
            return activity
        }
        guard declared.count == 1 else {
            throw HandlerRejection(
                validation:
                    "the anvisning names no activity and ASF \(asfId) has several: \(declared.joined(separator: ", "))")
        }
        return declared[0]
    }

    /// Loads an activity's ledger, applies one change and saves its decisions; returns the placement events
    /// and the activity's new status snapshot, when anything changed or a declaration arrived.
    ///
    /// - Parameter holding: Where the referral the change concerns holds a place or waits, if it does.
    private func change(
        _ asf: AsfActivity, _ state: CapacityState, at time: Date, through holding: CapacityState.Holding? = nil,
        declared: Bool = false, _ apply: (inout CapacityLedger) -> [CapacityDecision]
    ) throws -> [WorkerOutput] {
        let waiting = holding.flatMap { $0.waiting ? $0.referralId : nil }
        guard var ledger = try state.ledger(for: asf, through: waiting) else {
            throw HandlerRejection(validation: "unknown ASF activity \(asf): no capacity has been declared for it")
        }
        let decisions = apply(&ledger)
        guard declared || !decisions.isEmpty else { return [] }
        try state.save(decisions)
        let placements = decisions.map { decision in
            WorkerOutput(decision.payload, discriminator: "\(decision.type.name):\(decision.placement.referralId)")
        }
        return placements + [
            WorkerOutput(.asfCapacityStatus(ledger.snapshot(asOf: time)), discriminator: "status:\(asf)")
        ]
    }

    private static let stockholm = TimeZone(identifier: "Europe/Stockholm")!
}
