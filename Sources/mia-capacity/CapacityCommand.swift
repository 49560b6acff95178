import ArgumentParser
import MIACapacity
import MIAWorkerRuntime

/// The `mia-capacity` command: parses the worker's options and runs the capacity worker until SIGTERM or SIGINT.
struct CapacityCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mia-capacity",
        abstract: "ASF training places, reservations and first-in-first-out waitlists, never overbooked.",
        discussion: """
            Reads capacity declarations from mia.asf.v1 (places, first day, active or paused, per ASF and \
            activity), anvisningar to ASF work training from mia.referral.v1, slutdokumentation from \
            mia.outcome.v1 and se.mia.placement.withdraw-requested from mia.request.v1. Writes \
            se.mia.placement.reserved, .waitlisted (with the 1-based position), .placed-from-waitlist, .released \
            and .withdrawn to mia.placement.v1, keyed by ASF id, and after every change a \
            se.mia.asf.capacity-status snapshot (places, occupied, free, waitlist) to the compacted \
            mia.asf-status.v1, keyed by <asfId>/<activity>.

            An anvisning takes a free place, or waits first in, first out (also while the activity is paused); \
            an outcome or withdrawal frees the place and the first waiting participant gets it in the same \
            transaction. A decrease of places evicts nobody; an increase serves the waitlist at once. An \
            anvisning without an activity uses the ASF's only activity. An anvisning to an undeclared ASF or \
            activity, or of a participant who already holds or waits for a place at the ASF, is dead-lettered \
            to mia.dlq.capacity with the reason.

            The store enforces that occupancy never exceeds the places and that nobody is placed twice at an \
            ASF. Replicas must share one store (--database: one SQLite file on one host): each replica consumes \
            only some partitions of every input, declarations included. `mia asf status` prints the current \
            figures from the store.

            Every flag can also be set by the environment variable in its help; a flag on the command line wins.
            """)

    @OptionGroup(title: "Worker options")
    var runtime: WorkerOptions

    func run() async throws {
        try await WorkerApplication.run(CapacityHandler(), options: try runtime.resolved(worker: "capacity"))
    }
}
