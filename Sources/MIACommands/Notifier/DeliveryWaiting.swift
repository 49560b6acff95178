import Foundation
import MIANotifier

/// Waits, for a command that queued deliveries, until the worker has delivered or given them up.
enum DeliveryWaiting {
    /// Polls the ledger twice a second until none of the deliveries is queued or in flight, or `seconds` pass.
    /// - Returns: The deliveries as last read.
    static func wait(
        for ids: [String], in queue: NotificationDeliveryQueue, seconds: Int
    ) async throws -> [NotificationDeliveryQueue.Delivery] {
        let end = ContinuousClock.now + .seconds(seconds)
        while true {
            let deliveries = try await queue.deliveries(ids)
            let settled = deliveries.allSatisfy { ["delivered", "dead"].contains($0.status) }
            if settled || ContinuousClock.now >= end { return deliveries }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
