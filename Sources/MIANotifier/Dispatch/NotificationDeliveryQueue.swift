import Foundation
import MIAWorkerRuntime

/// What an operator does to the notifier's deliveries from outside the worker (`mia dlq replay --worker notifier`,
/// `mia notifier flush`): changes to the delivery ledger in the worker's store, which the running
/// ``NotificationDeliveryService`` then acts on. Nothing here sends anything itself, so a delivery still goes
/// through its channel once, from the worker, under its own id.
public struct NotificationDeliveryQueue: Sendable {
    private let ledger: DeliveryLedger

    /// A queue over the notifier's store.
    /// - Parameter store: The store `mia-notifier` runs on (its `--database`).
    public init(store: any WorkerStore) {
        ledger = DeliveryLedger(store: store)
    }

    /// A delivery as the ledger knows it.
    public struct Delivery: Sendable, Hashable, CustomStringConvertible {
        /// The delivery id: the notification's id, or its digest's.
        public var id: String
        /// `pending`, `sending`, `held`, `delivered`, `dead`, …
        public var status: String
        /// `webhook` or `email`.
        public var channel: String
        /// The agency code.
        public var agency: String
        /// The attempts made so far, over every replay.
        public var attempts: Int
        /// The last attempt's result (`http 200`, `smtp 451`) or why it was given up.
        public var lastResult: String?
        /// The notifications it carries (more than one for a digest).
        public var notifications: Int

        /// `3f0c… delivered (webhook AF, 2 attempt(s), http 200)`.
        public var description: String {
            "\(id) \(status) (\(channel) \(agency), \(attempts) attempt(s)\(lastResult.map { ", \($0)" } ?? ""))"
        }
    }

    /// What a replay did to one delivery.
    public struct Redelivery: Sendable, Hashable {
        /// What became of the delivery.
        public struct Outcome: Sendable, Hashable, CustomStringConvertible {
            private enum Base: String, Sendable, Hashable {
                case queued, alreadyDelivered, alreadyQueued, unknown
            }

            private let base: Base

            private init(_ base: Base) { self.base = base }

            /// It was dead and is due again now, with a new horizon.
            public static let queued = Outcome(.queued)
            /// It was delivered already: nothing to send.
            public static let alreadyDelivered = Outcome(.alreadyDelivered)
            /// It is in the queue already (waiting, held or being attempted).
            public static let alreadyQueued = Outcome(.alreadyQueued)
            /// The store does not know it: another notifier's store, or pruned.
            public static let unknown = Outcome(.unknown)

            public var description: String { base.rawValue }
        }

        /// What became of the delivery.
        public var outcome: Outcome
        /// The delivery, as the ledger knows it after the replay; `nil` when unknown.
        public var delivery: Delivery?
    }

    /// Puts a dead-lettered delivery back in the queue, due now, with a new horizon and its own id: the worker
    /// delivers it through its channel once. A delivery that is not dead is left as it is, so replaying twice
    /// queues it once.
    public func redeliver(_ id: String, now: Date = Date()) async throws -> Redelivery {
        let before = try await ledger.requeue(id, now: now)
        let delivery = try await deliveries([id]).first
        let outcome: Redelivery.Outcome =
            switch before {
            case nil: .unknown
            case "dead": .queued
            case "delivered": .alreadyDelivered
            default: .alreadyQueued
            }
        return Redelivery(outcome: outcome, delivery: delivery)
    }

    /// The deliveries with these ids that the ledger knows.
    public func deliveries(_ ids: [String]) async throws -> [Delivery] {
        try await ledger.entries(ids).map { entry in
            Delivery(
                id: entry.id, status: entry.status, channel: entry.channel, agency: entry.agency,
                attempts: entry.attempts, lastResult: entry.lastResult, notifications: entry.notifications)
        }
    }

    /// The notifications held for a digest and when the first of them is due.
    public func held() async throws -> (notifications: Int, nextDue: Date?) {
        let backlog = try await ledger.backlog()
        return (backlog.held, backlog.nextHeldDue)
    }

    /// Makes every held notification due now and forms the digests (each meeting's latest state only); the worker
    /// sends them.
    /// - Returns: The digests formed.
    public func flushHeldDigests(now: Date = Date()) async throws -> [Delivery] {
        let formed = try await ledger.flushHeld(now: now)
        return try await deliveries(formed.map(\.id))
    }
}
