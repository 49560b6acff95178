import Foundation
import MIAContracts
import MIAWorkerRuntime

@testable import MIANotifier

/// Drives the delivery ledger directly, to stage a process that dies mid-attempt.
struct DeliveryLedgerProbe {
    let ledger: DeliveryLedger

    init(store: any WorkerStore) {
        ledger = DeliveryLedger(store: store)
    }

    /// Schedules and claims every due message, as an attempt would, without recording an outcome.
    func claimAll(now: Date) async throws {
        try await ledger.schedule(now: now, digest: .off)
        _ = try await ledger.claim(
            now: now, [DeliveryLedger.Claim(agencies: Agency.allCases, limit: 100, lease: .seconds(40))])
    }
}
