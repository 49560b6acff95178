import Foundation
import MIAContracts
import MIAWorkerRuntime
import Synchronization

/// A worker for runtime tests: each anvisning adds one row to `probe_effects` and asks for one notification.
/// It can be told to reject an anvisning (by its Resursråd) or to fail transiently.
struct ProbeHandler: WorkerHandler {
    var name: String
    var inputTopics: [String] { [TopicRegistry.referral] }
    var outputTopics: [String] { [TopicRegistry.notification] }
    let faults: ProbeFaults

    init(name: String = "probe", faults: ProbeFaults = ProbeFaults()) {
        self.name = name
        self.faults = faults
    }

    var migrations: [StoreMigration] {
        [
            StoreMigration(
                id: "probe-001",
                sqlite: [
                    "CREATE TABLE probe_effects (id INTEGER PRIMARY KEY AUTOINCREMENT, referral_id TEXT NOT NULL, participant TEXT NOT NULL)"
                ],
                postgres: [
                    "CREATE TABLE probe_effects (id BIGSERIAL PRIMARY KEY, referral_id TEXT NOT NULL, participant TEXT NOT NULL)"
                ])
        ]
    }

    func handle(_ input: WorkerInput, in transaction: any StoreTransaction) throws -> [WorkerOutput] {
        guard case .referralCreated(let referral) = input.event.payload else { return [] }
        if faults.transientFailures.withLock({ count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }) {
            throw StoreError(isTransient: true, message: "injected transient failure")
        }
        if referral.resursrad == "later" {
            throw RetryLater(validation: "Resursråd later is not known yet")
        }
        if referral.resursrad == "reject" {
            throw HandlerRejection(validation: "Resursråd rejects this anvisning")
        }
        try transaction.execute(
            "INSERT INTO probe_effects (referral_id, participant) VALUES (?, ?)",
            [.text(referral.referralId), .text(referral.participantRef)])
        let notification = NotificationRequested(
            notificationId: "n-\(referral.referralId)", kind: .referralReceived, handlaggareId: referral.handlaggare.id,
            agency: referral.handlaggare.agency, referralId: referral.referralId, agencyCaseRef: referral.agencyCaseRef,
            channel: "topic", subject: "Anvisning mottagen", body: "Insatsen kontaktar dig.", urgent: false)
        return [WorkerOutput(.notificationRequested(notification), discriminator: "received")]
    }
}

/// Faults a test injects into a running ``ProbeHandler``.
final class ProbeFaults: Sendable {
    /// How many of the next handled events fail transiently.
    let transientFailures = Mutex(0)
    init() {}
}
