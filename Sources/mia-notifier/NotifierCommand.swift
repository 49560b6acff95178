import ArgumentParser
import Foundation
import MIANotifier
import MIAWorkerRuntime

/// The `mia-notifier` command: parses the worker's options and runs the notifier until SIGTERM or SIGINT.
struct NotifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mia-notifier",
        abstract: "Tells the referring handläggare what happened to their anvisning, once.",
        discussion: """
            Reads mia.referral.v1, mia.followup.v1, mia.outcome.v1, mia.meeting.v1 and mia.placement.v1 and \
            writes se.mia.notification.requested events to mia.notification.v1, keyed by handläggare id: \
            anvisning received, trepartsmöte and follow-up meetings booked, moved or cancelled (with an \
            iCalendar invitation), no time found (action needed), follow-up reports, insats approaching its \
            end, ASF placement, waitlist and place from the waitlist, and slutdokumentation with the outcome.

            Texts are Swedish, rendered from one Mustache template per kind (<kind>.mustache, first line the \
            subject) and name the referral id and the agency's case reference, never the participant. An \
            event that arrives before its anvisning is kept and notified when the anvisning arrives. Each \
            notification is sent once per handläggare and fact: redelivered input sends nothing more.

            Dead letters go to mia.dlq.notifier. Every flag can also be set by the environment variable in its \
            help; a flag on the command line wins.
            """)

    @OptionGroup(title: "Worker options")
    var runtime: WorkerOptions

    @Option(
        help: ArgumentHelp(
            """
            Folder of notification templates, one <kind>.mustache per kind; kinds without a file use the \
            built-in template. Env: \(NotificationTemplates.environmentVariable). Default: the nearest \
            notifier/templates beside or above the executable, then in the working directory, else the \
            built-in templates.
            """,
            valueName: "dir"))
    var templates: String?

    @Option(
        help: ArgumentHelp(
            """
            ORGANIZER of calendar invitations, a calendar address such as mailto:mia@example.org (default: \
            none). Env: MIA_NOTIFIER_CALENDAR_ORGANIZER.
            """,
            valueName: "address"))
    var calendarOrganizer: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let options = try runtime.resolved(worker: "notifier", environment: environment)
        let configuration: NotifierConfiguration
        do {
            configuration = NotifierConfiguration(
                templates: try NotificationTemplates.locate(directory: templates, environment: environment),
                calendarOrganizer: calendarOrganizer ?? environment["MIA_NOTIFIER_CALENDAR_ORGANIZER"])
        } catch {
            throw ValidationError(error.description)
        }
        try await WorkerApplication.run(NotifierHandler(configuration: configuration), options: options)
    }
}
