import MIAWorkerRuntime
import MIAWorkerTestKit

extension RunningWorker {
    /// Rows in `probe_effects` (0 before the worker created its tables).
    func effects() async throws -> Int {
        (try? await store.read {
            Int(try $0.queryOne("SELECT COUNT(*) AS n FROM probe_effects", [])?["n"].integer ?? 0)
        }) ?? 0
    }

    /// Rows in the inbox (0 before the worker created its tables).
    func inboxCount() async throws -> Int {
        (try? await store.read { Int(try $0.queryOne("SELECT COUNT(*) AS n FROM mia_inbox", [])?["n"].integer ?? 0) })
            ?? 0
    }
}
