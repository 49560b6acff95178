import ArgumentParser
import Foundation
import MIACapacity
import MIAWorkerRuntime

/// `mia asf`: the ASF training places kept by `mia-capacity`.
struct AsfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asf",
        abstract: "ASF training places, occupancy and waitlists, from the capacity worker's store.",
        subcommands: [Status.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print places, occupied, free and waitlist per ASF and activity.",
            discussion: """
                Reads the store mia-capacity writes (its --database), so the figures are the committed state, \
                including changes not yet published to mia.asf-status.v1. Free is max(places - occupied, 0): \
                after a decrease of places the occupancy may exceed the places until participants leave.
                """)

        @Option(help: ArgumentHelp("Only this ASF's activities.", valueName: "asf-id"))
        var asf: String?

        @Option(
            help: ArgumentHelp(
                "The capacity worker's SQLite store (default ./data/capacity.sqlite). Env: MIA_DATABASE.",
                valueName: "path"))
        var database: String?

        func run() async throws {
            let path = database ?? ProcessInfo.processInfo.environment["MIA_DATABASE"] ?? "./data/capacity.sqlite"
            guard PostgresStore.isPostgresURL(path) || FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no capacity store at \(path); pass mia-capacity's --database")
            }
            let report = try await CapacityReport.read(database: path, asfId: asf)
            if report.rows.isEmpty {
                throw ValidationError(asf.map { "no capacity declared for ASF \($0)" } ?? "no capacity declared yet")
            }
            FileHandle.standardOutput.write(Data(report.table.utf8))
        }
    }
}
