import Foundation
import MIACapacity
import MIAContracts
import MIAWorkerRuntime
import MIAWorkerTestKit

/// A ``CapacityHandler`` on a new store (a SQLite file or a PostgreSQL schema) with only its own tables, fed events directly as the
/// runtime would (one savepoint per event), without Kafka.
struct CapacityStore {
    let handler = CapacityHandler()
    let store: any WorkerStore

    /// What one event gave: its outputs, or the reason it was rejected.
    enum Result: Equatable {
        case outputs([WorkerOutput])
        case rejected(String)
        /// The handler asked to be retried later (``RetryLater``).
        case deferred(String)
    }

    init(_ kind: TestStore = .sqlite) async throws {
        store = try TestStore.open(kind.freshDatabase())
        try await store.migrate(handler.migrations)
    }

    /// Applies one event; a rejection undoes the event's changes, as in the runtime.
    @discardableResult
    func apply(_ event: CloudEvent) async throws -> Result {
        let handler = handler
        let input = WorkerInput(event: event, topic: event.topic, partition: 0, offset: 0, timestampMilliseconds: nil)
        return try await store.write { transaction in
            do {
                return .outputs(try transaction.savepoint { try handler.handle(input, in: transaction) })
            } catch let rejection as HandlerRejection {
                return .rejected(rejection.reason)
            } catch let retry as RetryLater {
                return .deferred(retry.reason)
            }
        }
    }

    /// Applies events in order and returns every placement decision as a line, for example
    /// `reserved ref-1 asf-a/kafe 2019-02-11` or `waitlisted ref-3 #1`; rejections as `rejected: <reason>`.
    func decisions(_ events: [CloudEvent]) async throws -> [String] {
        var lines: [String] = []
        for event in events {
            switch try await apply(event) {
            case .rejected(let reason): lines.append("rejected: \(reason)")
            case .deferred(let reason): lines.append("deferred: \(reason)")
            case .outputs(let outputs): lines += outputs.compactMap(Self.line)
            }
        }
        return lines
    }

    /// The status snapshots of events, in order, as `asf/activity places occupied free waitlist`.
    func snapshots(_ events: [CloudEvent]) async throws -> [String] {
        var lines: [String] = []
        for event in events {
            guard case .outputs(let outputs) = try await apply(event) else { continue }
            for output in outputs {
                if case .asfCapacityStatus(let status) = output.payload {
                    lines.append(
                        "\(status.partitionKey) \(status.status.rawValue) \(status.places) \(status.occupied) \(status.free) \(status.waitlistLength)"
                    )
                }
            }
        }
        return lines
    }

    static func line(_ output: WorkerOutput) -> String? {
        let type: String
        let placement: PlacementEvent
        switch output.payload {
        case .placementReserved(let event): (type, placement) = ("reserved", event)
        case .placementWaitlisted(let event): (type, placement) = ("waitlisted", event)
        case .placementPlacedFromWaitlist(let event): (type, placement) = ("placed", event)
        case .placementReleased(let event): (type, placement) = ("released", event)
        case .placementWithdrawn(let event): (type, placement) = ("withdrawn", event)
        default: return nil
        }
        let position = placement.position.map { " #\($0)" } ?? ""
        return "\(type) \(placement.referralId) \(placement.asfId)/\(placement.activity)\(position) \(placement.date)"
    }
}
