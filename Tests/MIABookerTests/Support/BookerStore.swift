import Foundation
import MIABooker
import MIAContracts
import MIAWorkerRuntime
import MIAWorkerTestKit

/// A ``BookerHandler`` on a new store (a SQLite file or a PostgreSQL schema) with only its own tables, fed events directly as the runtime
/// would (one savepoint per event), without Kafka.
struct BookerStore {
    let handler: BookerHandler
    let store: any WorkerStore
    let databasePath: String
    let clock = StockholmClock()

    init(_ configuration: BookerConfiguration = BookerConfiguration(), store kind: TestStore = .sqlite) async throws {
        handler = BookerHandler(configuration: configuration)
        databasePath = kind.freshDatabase()
        store = try TestStore.open(databasePath)
        try await store.migrate(handler.migrations)
    }

    /// Applies one event; returns its outputs, or throws the handler's error (its changes undone).
    @discardableResult
    func apply(_ event: CloudEvent) async throws -> [WorkerOutput] {
        let handler = handler
        let input = WorkerInput(event: event, topic: event.topic, partition: 0, offset: 0, timestampMilliseconds: nil)
        return try await store.write { transaction in
            try transaction.savepoint { try handler.handle(input, in: transaction) }
        }
    }

    /// Applies events in order and returns every meeting event as a line, for example
    /// `booked ref-1/trepartsmote 2019-02-05 09:00-10:00 hl-1 ins-1 #0` or
    /// `unschedulable ref-2/trepartsmote no-free-slot`.
    func lines(_ events: [CloudEvent]) async throws -> [String] {
        var lines: [String] = []
        for event in events { lines += try await apply(event).compactMap(line) }
        return lines
    }

    func line(_ output: WorkerOutput) -> String? {
        let type: String
        let meeting: MeetingEvent
        switch output.payload {
        case .meetingBooked(let event): (type, meeting) = ("booked", event)
        case .meetingRescheduled(let event): (type, meeting) = ("rescheduled", event)
        case .meetingCancelled(let event): (type, meeting) = ("cancelled", event)
        case .meetingUnschedulable(let event): (type, meeting) = ("unschedulable", event)
        default: return nil
        }
        if type == "cancelled" || type == "unschedulable" {
            return "\(type) \(meeting.meetingId) \(meeting.reason ?? "?") #\(meeting.sequence)"
        }
        guard let start = meeting.start, let end = meeting.end else { return "\(type) \(meeting.meetingId) no time" }
        let endClock = clock.text(end).suffix(5)
        return
            "\(type) \(meeting.meetingId) \(clock.text(start))-\(endClock) \(meeting.handlaggareId) \(meeting.insatsStaffId ?? "-") #\(meeting.sequence)"
    }

    /// Every booked meeting in the store.
    func booked() async throws -> [MeetingList.Row] {
        try await MeetingList.read(from: store, from: day(2000, 1, 1), to: day(2100, 1, 1)).rows
    }
}
