import ArgumentParser
import Foundation
import MIABooker
import MIAContracts
import MIAWorkerRuntime

/// `mia meetings`: the meetings booked by `mia-booker`.
struct MeetingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings",
        abstract: "Meetings booked by the booker, from its store.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the booked meetings of a period, in Europe/Stockholm local time.",
            discussion: """
                Reads the store mia-booker writes (its --database), so the list is the committed state, including \
                bookings not yet published to mia.meeting.v1. Cancelled and unschedulable meetings are not listed. \
                Staff appear as opaque ids and participants not at all.
                """)

        @Option(help: ArgumentHelp("The first day, YYYY-MM-DD (local).", valueName: "date"))
        var from: String

        @Option(help: ArgumentHelp("The last day, YYYY-MM-DD (local), included.", valueName: "date"))
        var to: String

        @Option(help: ArgumentHelp("Only meetings this staff member attends.", valueName: "staff-id"))
        var staff: String?

        @Option(
            help: ArgumentHelp(
                "The booker's SQLite store (default ./data/booker.sqlite). Env: MIA_DATABASE.", valueName: "path"))
        var database: String?

        func validate() throws {
            guard let first = CalendarDate(from), let last = CalendarDate(to) else {
                throw ValidationError("--from and --to are dates as YYYY-MM-DD")
            }
            guard first <= last else { throw ValidationError("--from must not be after --to") }
        }

        func run() async throws {
            let path = database ?? ProcessInfo.processInfo.environment["MIA_DATABASE"] ?? "./data/booker.sqlite"
            guard PostgresStore.isPostgresURL(path) || FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("no booker store at \(path); pass mia-booker's --database")
            }
            guard let first = CalendarDate(from), let last = CalendarDate(to) else { return }
            let list = try await MeetingList.read(database: path, from: first, to: last, staff: staff)
            FileHandle.standardOutput.write(Data(list.table.utf8))
        }
    }
}
