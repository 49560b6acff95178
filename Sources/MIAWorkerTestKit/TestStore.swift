import Foundation
import MIAWorkerRuntime

/// The stores a worker test runs against: every worker test is one suite, parameterised by store.
///
/// SQLite always; PostgreSQL when `MIA_TEST_POSTGRES_URL` names a server (`make test` starts a throwaway one).
/// Each fresh PostgreSQL location is a schema of its own, so tests never see each other's tables.
public enum TestStore: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres

    /// The environment variable with the URL of the test server.
    public static let postgresVariable = "MIA_TEST_POSTGRES_URL"

    /// The URL of the PostgreSQL server for tests, if there is one.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment[postgresVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The stores available here: PostgreSQL only when a test server is configured.
    public static var available: [TestStore] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// Why PostgreSQL tests do not run here, or nil when they do.
    public static var postgresSkipReason: String? {
        postgresURL == nil
            ? "PostgreSQL tests skipped: \(postgresVariable) is not set (make test starts a server from Debian's postgresql package; install it or run as root)"
            : nil
    }

    public var description: String { rawValue }

    /// A new, empty store location: a SQLite file path, or the test server's URL with a new schema.
    public func freshDatabase() -> String {
        let name = "t\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("mia-test-\(name)/worker.sqlite").path
        case .postgres:
            let url = Self.postgresURL ?? "postgres://postgres@127.0.0.1:5432/postgres"
            return url + (url.contains("?") ? "&" : "?") + "schema=\(name)"
        }
    }

    /// Opens a store at a location from ``freshDatabase()``.
    public static func open(_ database: String) throws -> any WorkerStore {
        try WorkerStores.open(database)
    }
}
