import Foundation
import MIAContracts

/// The booker's rules and the insats staff it may choose from, read from a JSON file (`--config`,
/// `MIA_BOOKER_CONFIG`). Every field is optional; a missing one keeps its default.
///
/// ```json
/// {
///   "officeHours": { "start": "08:30", "end": "16:30" },
///   "meetingMinutes": 60, "bufferMinutes": 15, "slotStepMinutes": 30,
///   "windowWorkingDays": 10, "maxMeetingsPerStaffPerDay": 4,
///   "followupIntervalWeeks": 4, "followupWindowWorkingDays": 5, "nextStepLeadWorkingDays": 10,
///   "location": "video",
///   "insatsStaff": { "HBS": ["hbs-ins-1", "hbs-ins-2"], "HBS/supportedEmployment": ["hbs-ins-3"] }
/// }
/// ```
///
/// `insatsStaff` maps a delprojekt code, or `<delprojekt>/<insatsType>` for one insats of it (which wins), to
/// the staff ids of that insats. Without a file the defaults apply and no staff is known: an anvisning that
/// names no contact person is then `unschedulable` with reason `no-insats-staff`.
public struct BookerConfiguration: Sendable, Hashable, Codable {
    /// The first minute of office hours, local time (default 08:30).
    public var officeStart: Int = 8 * 60 + 30
    /// The minute office hours end, local time; a meeting ends by then (default 16:30).
    public var officeEnd: Int = 16 * 60 + 30
    /// The length of a meeting (default 60).
    public var meetingMinutes: Int = 60
    /// The free time after every meeting of a person before their next meeting or busy period, and before a
    /// meeting after a busy period (default 15).
    public var bufferMinutes: Int = 15
    /// Meetings start on this grid from the start of office hours (default 30).
    public var slotStepMinutes: Int = 30
    /// A trepartsmöte is booked within this many working days, from the first working day after the
    /// anvisning's decision date (default 10).
    public var windowWorkingDays: Int = 10
    /// At most this many meetings per staff member (handläggare or insats staff) per day (default 4).
    public var maxMeetingsPerStaffPerDay: Int = 4
    /// Uppföljningsmöten every this many weeks from the planned start (default 4).
    public var followupIntervalWeeks: Int = 4
    /// An uppföljningsmöte is booked within this many working days from its due day (default 5).
    public var followupWindowWorkingDays: Int = 5
    /// The "plan the next step" meeting falls in the last this many working days before the planned end
    /// (default 10).
    public var nextStepLeadWorkingDays: Int = 10
    /// The opaque location of booked meetings (default `video`).
    public var location: String = "video"
    /// Staff ids per delprojekt code or `<delprojekt>/<insatsType>`.
    public var insatsStaff: [String: [String]] = [:]

    /// The time grid of the store's occupancy table, in minutes; every length above is a multiple of it.
    public static let quantumMinutes = 15

    /// The defaults, with no staff.
    public init() {}

    /// The staff of an anvisning's insats: the entry for `<delprojekt>/<insatsType>`, else for the delprojekt.
    public func staff(of delprojekt: Delprojekt, _ insatsType: InsatsType) -> [String] {
        insatsStaff["\(delprojekt.rawValue)/\(insatsType.rawValue)"] ?? insatsStaff[delprojekt.rawValue] ?? []
    }

    /// Reads and validates a configuration file.
    ///
    /// - Throws: ``BookerConfigurationError`` naming the file and the problem.
    public static func load(path: String) throws -> BookerConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BookerConfigurationError(
                "cannot read the booker configuration \(path): \(error.localizedDescription)")
        }
        let configuration: BookerConfiguration
        do {
            configuration = try JSONDecoder().decode(BookerConfiguration.self, from: data)
        } catch {
            throw BookerConfigurationError("invalid booker configuration \(path): \(error)")
        }
        try configuration.validate()
        return configuration
    }

    /// Checks that the rules can be applied.
    ///
    /// - Throws: ``BookerConfigurationError`` for the first problem found.
    public func validate() throws {
        let quantum = Self.quantumMinutes
        for (name, value) in [
            ("officeHours.start", officeStart), ("officeHours.end", officeEnd), ("meetingMinutes", meetingMinutes),
            ("bufferMinutes", bufferMinutes), ("slotStepMinutes", slotStepMinutes),
        ] where value % quantum != 0 || value < 0 {
            throw BookerConfigurationError("\(name) must be a non-negative multiple of \(quantum) minutes")
        }
        guard meetingMinutes > 0, slotStepMinutes > 0 else {
            throw BookerConfigurationError("meetingMinutes and slotStepMinutes must be positive")
        }
        // 03:00 keeps clear of the spring daylight-saving gap (02:00-03:00), where local times do not exist.
        guard officeStart >= 3 * 60, officeEnd <= 24 * 60, officeStart + meetingMinutes <= officeEnd else {
            throw BookerConfigurationError("office hours must lie within 03:00-24:00 and fit one meeting")
        }
        for (name, value) in [
            ("windowWorkingDays", windowWorkingDays), ("maxMeetingsPerStaffPerDay", maxMeetingsPerStaffPerDay),
            ("followupIntervalWeeks", followupIntervalWeeks),
            ("followupWindowWorkingDays", followupWindowWorkingDays),
            ("nextStepLeadWorkingDays", nextStepLeadWorkingDays),
        ] where value < 1 {
            throw BookerConfigurationError("\(name) must be at least 1")
        }
        guard !location.isEmpty else { throw BookerConfigurationError("location must not be empty") }
        for (key, staff) in insatsStaff {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard Delprojekt(rawValue: String(parts[0])) != nil,
                parts.count == 1 || (parts.count == 2 && InsatsType(rawValue: String(parts[1])) != nil)
            else {
                throw BookerConfigurationError(
                    "insatsStaff key \(key) is not a delprojekt code or <delprojekt>/<insatsType>")
            }
            guard !staff.contains(where: \.isEmpty) else {
                throw BookerConfigurationError("insatsStaff \(key) has an empty staff id")
            }
        }
    }
}

extension BookerConfiguration {
    private enum CodingKeys: String, CodingKey {
        case officeHours, meetingMinutes, bufferMinutes, slotStepMinutes, windowWorkingDays,
            maxMeetingsPerStaffPerDay, followupIntervalWeeks, followupWindowWorkingDays, nextStepLeadWorkingDays,
            location, insatsStaff
    }

    private struct OfficeHours: Codable {
        var start: String
        var end: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let hours = try container.decodeIfPresent(OfficeHours.self, forKey: .officeHours) {
            guard let start = Self.minute(hours.start), let end = Self.minute(hours.end) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .officeHours, in: container, debugDescription: "office hours are HH:MM")
            }
            officeStart = start
            officeEnd = end
        }
        func value(_ key: CodingKeys, _ target: inout Int) throws {
            if let decoded = try container.decodeIfPresent(Int.self, forKey: key) { target = decoded }
        }
        try value(.meetingMinutes, &meetingMinutes)
        try value(.bufferMinutes, &bufferMinutes)
        try value(.slotStepMinutes, &slotStepMinutes)
        try value(.windowWorkingDays, &windowWorkingDays)
        try value(.maxMeetingsPerStaffPerDay, &maxMeetingsPerStaffPerDay)
        try value(.followupIntervalWeeks, &followupIntervalWeeks)
        try value(.followupWindowWorkingDays, &followupWindowWorkingDays)
        try value(.nextStepLeadWorkingDays, &nextStepLeadWorkingDays)
        location = try container.decodeIfPresent(String.self, forKey: .location) ?? location
        insatsStaff = try container.decodeIfPresent([String: [String]].self, forKey: .insatsStaff) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            OfficeHours(start: Self.clock(officeStart), end: Self.clock(officeEnd)), forKey: .officeHours)
        try container.encode(meetingMinutes, forKey: .meetingMinutes)
        try container.encode(bufferMinutes, forKey: .bufferMinutes)
        try container.encode(slotStepMinutes, forKey: .slotStepMinutes)
        try container.encode(windowWorkingDays, forKey: .windowWorkingDays)
        try container.encode(maxMeetingsPerStaffPerDay, forKey: .maxMeetingsPerStaffPerDay)
        try container.encode(followupIntervalWeeks, forKey: .followupIntervalWeeks)
        try container.encode(followupWindowWorkingDays, forKey: .followupWindowWorkingDays)
        try container.encode(nextStepLeadWorkingDays, forKey: .nextStepLeadWorkingDays)
        try container.encode(location, forKey: .location)
        try container.encode(insatsStaff, forKey: .insatsStaff)
    }

    /// `HH:MM` as minutes after midnight.
    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0...24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// Minutes after midnight as `HH:MM`.
    static func clock(_ minute: Int) -> String {
        let hour = minute / 60
        let rest = minute % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}
