import Foundation
import MIAContracts

/// The Swedish words and date formats of notification texts, independent of the machine's locale data.
enum SwedishText {
    /// The time zone meetings are booked in and shown in.
    static let stockholm = TimeZone(identifier: "Europe/Stockholm")!

    private static let weekdays = ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"]
    private static let months = [
        "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
        "november", "december",
    ]

    /// `tisdag 20 mars 2018`.
    static func day(_ date: Date) -> String {
        let parts = stockholmCalendar.dateComponents([.weekday, .day, .month, .year], from: date)
        let weekday = weekdays[(parts.weekday ?? 1) - 1]
        return "\(weekday) \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    /// `10.00`, Stockholm time.
    static func clock(_ date: Date) -> String {
        let parts = stockholmCalendar.dateComponents([.hour, .minute], from: date)
        return "\(parts.hour ?? 0).\(twoDigits(parts.minute ?? 0))"
    }

    /// `tisdag 20 mars 2018 kl. 10.00–11.00`, or without the end when it is unknown.
    static func period(start: Date, end: Date?) -> String {
        let until = end.map { "–\(clock($0))" } ?? ""
        return "\(day(start)) kl. \(clock(start))\(until)"
    }

    /// `20 mars 2018`.
    static func day(_ date: CalendarDate) -> String {
        "\(date.day) \(months[date.month - 1]) \(date.year)"
    }

    /// The meeting kind after an indefinite article: `trepartsmöte` (as in "ett trepartsmöte").
    static func meeting(_ kind: MeetingKind) -> String {
        switch kind {
        case .trepartsmote: "trepartsmöte"
        case .followup: "uppföljningsmöte"
        case .nextStep: "möte om nästa steg"
        }
    }

    /// What a follow-up report says, as a sentence.
    static func followup(_ kind: FollowupKind) -> String {
        switch kind {
        case .feedback: "Insatsen har lämnat en ny återkoppling."
        case .followupMeetingHeld: "Ett uppföljningsmöte har hållits."
        case .planUpdated: "Planen för insatsen har uppdaterats."
        case .insatsExtended: "Insatsen har förlängts."
        case .approachingEnd: "Insatsen närmar sig sitt slut."
        }
    }

    /// The outcome of a slutdokumentation.
    static func outcome(_ kind: OutcomeKind, provider: OrdinaryProgrammeProvider?) -> String {
        switch kind {
        case .work: "arbete (påbörjat arbete eller ökad omfattning)"
        case .studies: "studier"
        case .ordinaryProgramme:
            switch provider {
            case .af: "ordinarie arbetsförberedande insats hos Arbetsförmedlingen"
            case .kommun: "ordinarie arbetsförberedande insats hos kommunen"
            case nil: "ordinarie arbetsförberedande insats"
            }
        case .jobSeeking: "aktivt arbetssökande"
        case .other: "övrigt avslut"
        case .interrupted: "avbrott"
        }
    }

    /// The text with its first letter in upper case: `Trepartsmöte`.
    static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    private static let stockholmCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = stockholm
        return calendar
    }()

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
