import ArgumentParser
import Foundation
import Logging
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

            Channels are chosen per agency in a JSON channel file (--channels): the topic (the default: the \
            agency's inbox system consumes mia.notification.v1), a webhook (HTTPS POST of signed JSON, \
            X-MIA-Signature: v1=HMAC-SHA256 over "<X-MIA-Timestamp>.<body>") or e-mail through an SMTP relay on \
            this machine, with the iCalendar invitation attached (ORGANIZER from --calendar-organizer, required \
            then; ATTENDEE the recipient). Every notification is also published on the topic; webhook and e-mail \
            deliveries are recorded in the store, so a restart never sends a delivered one again. A failed \
            attempt (5xx, 408, 429, timeout, connection failure) is retried with backoff (2 s doubling, capped at \
            5 min, each wait drawn between half and all of that) until the channel's horizon (horizonHours, \
            default 24) has passed; then, or at once on any other answer, it is dead-lettered. Each endpoint and \
            SMTP relay has its own queue, concurrency limit and circuit breaker. With --digest daily, non-urgent \
            webhook and e-mail notifications are sent as one digest per handläggare a day; held ones follow the \
            current --digest and --digest-hour at start-up, and mia notifier flush sends them at once.

            Dead letters go to mia.dlq.notifier; mia dlq replay --worker notifier --database <store> redelivers a \
            dead-lettered delivery through its channel. Delivery metrics (mia_notifier_*) are on /metrics. Every \
            flag can also be set by the environment variable in its help; a flag on the command line wins.
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
            ORGANIZER of calendar invitations, an address such as mia-notiser@forbund.example or \
            mailto:mia-notiser@forbund.example; required when a channel is e-mail (default: none). Env: \
            MIA_NOTIFIER_CALENDAR_ORGANIZER.
            """,
            valueName: "address"))
    var calendarOrganizer: String?

    @Option(
        help: ArgumentHelp(
            """
            JSON file choosing each agency's channel (topic, webhook or email); see notifier/README.md. \
            Default: the topic for every agency. Env: \(NotificationRouting.environmentVariable).
            """,
            valueName: "file"))
    var channels: String?

    @Option(
        help: ArgumentHelp(
            """
            off, or daily: send non-urgent webhook and e-mail notifications as one digest per handläggare a day \
            (default off). Env: MIA_NOTIFIER_DIGEST.
            """,
            valueName: "mode"))
    var digest: String?

    @Option(
        help: ArgumentHelp(
            "Hour of the daily digest, 0-23, Europe/Stockholm time (default 7). Env: MIA_NOTIFIER_DIGEST_HOUR.",
            valueName: "hour"))
    var digestHour: Int?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let options = try runtime.resolved(worker: "notifier", environment: environment)
        let channelFile = channels ?? environment[NotificationRouting.environmentVariable]
        let configuration: NotifierConfiguration
        do {
            configuration = try NotifierConfiguration(
                templates: try NotificationTemplates.locate(directory: templates, environment: environment),
                routing: try channelFile.map { file throws(NotifierError) in
                    try NotificationRouting.load(file: file, environment: environment)
                } ?? NotificationRouting(),
                calendarOrganizer: calendarOrganizer ?? environment["MIA_NOTIFIER_CALENDAR_ORGANIZER"]
            ).validated()
        } catch {
            throw ValidationError(error.description)
        }
        var delivery = NotificationDeliveryConfiguration()
        delivery.digest = try digestSchedule(environment)
        let handler = NotifierHandler(configuration: configuration)
        // The delivery service sends webhook and e-mail notifications from the same store, in the same process, and
        // records its metrics in the worker's registry, which the application has made by now.
        try await WorkerApplication.run(handler, options: options) { context in
            [
                NotificationDeliveryService(
                    routing: configuration.routing, store: context.store, configuration: delivery,
                    metrics: WorkerMetrics.newest(worker: handler.name), logger: Logger(label: "mia.notifier.delivery"))
            ]
        }
    }

    /// The digest schedule from `--digest` and `--digest-hour` or their environment variables.
    private func digestSchedule(_ environment: [String: String]) throws -> DigestSchedule {
        let mode = digest ?? environment["MIA_NOTIFIER_DIGEST"] ?? "off"
        let hourText = digestHour.map(String.init) ?? environment["MIA_NOTIFIER_DIGEST_HOUR"] ?? "7"
        guard let hour = Int(hourText), (0...23).contains(hour) else {
            throw ValidationError("the digest hour must be 0-23, not \(hourText)")
        }
        switch mode {
        case "off": return .off
        case "daily": return .daily(at: hour)
        default: throw ValidationError("--digest must be off or daily, not \(mode)")
        }
    }
}
