import ArgumentParser
import Foundation
import MIANotifier

/// `mia notifier`: the notifier's delivery ledger, for operators.
struct NotifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifier",
        abstract: "The notifier's deliveries: send the held digests now.",
        discussion: """
            Works on the store of mia-notifier (its --database), while the worker runs: the worker does the \
            sending. Dead-lettered deliveries are redelivered with mia dlq replay --worker notifier.
            """,
        subcommands: [Flush.self])

    struct Flush: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send the notifications held for a digest now, as one digest per handläggare.",
            discussion: """
                Makes every held notification due now and forms the digests (each meeting's latest state only); \
                mia-notifier sends them within a second or so. With --wait, waits for them to be delivered and \
                prints each outcome.
                """)

        @OptionGroup var store: NotifierStoreOptions

        @Flag(help: "Only say how many notifications are held and when they are due.")
        var dryRun = false

        @Option(
            help: ArgumentHelp(
                "Seconds to wait for the digests to be delivered (default 0: do not wait).", valueName: "seconds"))
        var wait: Int = 0

        func run() async throws {
            let dryRun = dryRun
            let wait = wait
            try await store.withQueue { queue in
                let held = try await queue.held()
                let due = held.nextDue.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
                guard !dryRun else {
                    print("\(held.notifications) notification(s) held for a digest; the first due at \(due)")
                    return
                }
                let digests = try await queue.flushHeldDigests()
                let notifications = digests.reduce(0) { $0 + $1.notifications }
                print(
                    "flushed \(held.notifications) held notification(s) into \(digests.count) digest(s) of "
                        + "\(notifications) (the rest superseded by a later state of their meeting)")
                for digest in digests { print("queued \(digest)") }
                guard wait > 0, !digests.isEmpty else {
                    if !digests.isEmpty { print("mia-notifier sends them now") }
                    return
                }
                let settled = try await DeliveryWaiting.wait(
                    for: digests.map(\.id), in: queue, seconds: wait)
                for delivery in settled {
                    print(delivery.status == "delivered" ? "delivered \(delivery)" : "\(delivery)")
                }
            }
        }
    }
}
