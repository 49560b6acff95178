import ArgumentParser
import Foundation
import MIABooker
import MIAWorkerRuntime

/// The `mia-booker` command: parses the worker's options and the booker configuration, and runs the booker
/// until SIGTERM or SIGINT.
struct BookerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mia-booker",
        abstract: "Trepartsmöten and follow-up meetings, booked automatically and never double-booked.",
        discussion: """
            Reads anvisningar from mia.referral.v1, follow-ups from mia.followup.v1, slutdokumentation from \
            mia.outcome.v1, staff busy periods (se.mia.calendar.busy) from mia.calendar.v1 and \
            se.mia.meeting.reschedule-requested from mia.request.v1. Writes se.mia.meeting.booked, .rescheduled, \
            .cancelled and .unschedulable to mia.meeting.v1, keyed by participant reference; mia-notifier sends \
            the invitations.

            An anvisning books a trepartsmöte for the handläggare, the participant and the insats contact person \
            (named in the anvisning, else the least-loaded of the insats's staff in the configuration file), \
            uppföljningsmöten every 4 weeks from the planned start, and a "plan the next step" meeting in the \
            last 10 working days before the planned end. Rules: working days only (Monday-Friday, no Swedish \
            public holiday, no Midsummer Eve, Christmas Eve or New Year's Eve); within office hours (08:30-16:30 \
            Europe/Stockholm, daylight saving included); 60 minutes, starts every 30 minutes; 15 minutes buffer \
            after every meeting of a person and around busy periods; the trepartsmöte within 10 working days \
            from the first working day after the decision date; no overlap with any party's meetings or busy \
            periods; at most 4 meetings per staff member per day. Fair spread: each meeting scans its window's \
            slots from a starting point given by a hash of its meeting id, so the same input gives the same slot \
            and meetings spread over the window. No free slot: se.mia.meeting.unschedulable with reason \
            no-free-slot (no-insats-staff when no contact person is named or configured).

            An outcome cancels the referral's meetings after the participant's last day; one that arrives before \
            the anvisning is remembered and the anvisning is not booked. An extension moves the next-step \
            meeting. A busy period that collides with a booked meeting moves it to the earliest free slot from its \
            own day on. A reschedule request moves the meeting to the earliest free slot from the first working day \
            after the request and the meeting's day (else unschedulable, the booking kept). The store makes a \
            double booking impossible even for racing replicas: each booked meeting claims 15-minute quanta per \
            person under a primary key, and a per-staff-day counter has CHECK (meetings <= limit). Replicas must \
            share one store (--database). `mia meetings list --from --to [--staff]` prints the booked meetings.

            The configuration file (--config, JSON; every field optional):
              {"officeHours": {"start": "08:30", "end": "16:30"},
               "meetingMinutes": 60, "bufferMinutes": 15, "slotStepMinutes": 30,
               "windowWorkingDays": 10, "maxMeetingsPerStaffPerDay": 4,
               "followupIntervalWeeks": 4, "followupWindowWorkingDays": 5,
               "nextStepLeadWorkingDays": 10, "location": "video",
               "insatsStaff": {"HBS": ["hbs-ins-1", "hbs-ins-2"],
                               "HBS/supportedEmployment": ["hbs-ins-3"]}}
            insatsStaff keys are delprojekt codes or <delprojekt>/<insatsType>, the more specific winning. Without \
            a file the defaults apply and no staff is known, so only anvisningar that name their contact person \
            are booked. config/booker.json covers the staff of `mia simulate`.

            Every flag can also be set by the environment variable in its help; a flag on the command line wins.
            """)

    @Option(
        help: ArgumentHelp(
            "The booker configuration file (JSON; default: built-in rules, no staff). Env: MIA_BOOKER_CONFIG.",
            valueName: "path"))
    var config: String?

    @OptionGroup(title: "Worker options")
    var runtime: WorkerOptions

    func run() async throws {
        let path = config ?? ProcessInfo.processInfo.environment["MIA_BOOKER_CONFIG"]
        let configuration: BookerConfiguration
        do {
            configuration = try path.map(BookerConfiguration.load(path:)) ?? BookerConfiguration()
        } catch let error as BookerConfigurationError {
            throw ValidationError(error.message)
        }
        try await WorkerApplication.run(
            BookerHandler(configuration: configuration), options: try runtime.resolved(worker: "booker"))
    }
}
