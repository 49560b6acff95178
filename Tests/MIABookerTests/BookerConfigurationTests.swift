import Foundation
import MIABooker
import MIAContracts
import MIAWorkerTestKit
import Testing

@Suite("The booker configuration: defaults, validation, and config/booker.json against mia simulate")
struct BookerConfigurationTests {
    /// config/booker.json in this checkout.
    static let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config/booker.json").path

    @Test("The shipped file loads with the documented defaults")
    func shippedFile() throws {
        let configuration = try BookerConfiguration.load(path: Self.shipped)
        var defaults = BookerConfiguration()
        defaults.insatsStaff = configuration.insatsStaff
        #expect(configuration == defaults)
        #expect(Set(configuration.insatsStaff.keys) == Set(Delprojekt.allCases.map(\.rawValue)))
    }

    @Test("Invalid files are refused with the reason")
    func invalid() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("booker-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (json, reason) in [
            (#"{"meetingMinutes": 50}"#, "multiple of 15"),
            (#"{"officeHours": {"start": "8:30", "end": "16:30"}}"#, "HH:MM"),
            (#"{"officeHours": {"start": "16:00", "end": "16:30"}}"#, "fit one meeting"),
            (#"{"windowWorkingDays": 0}"#, "at least 1"),
            (#"{"insatsStaff": {"Uppsala": ["x"]}}"#, "delprojekt"),
            (#"{"insatsStaff": {"HBS/knitting": ["x"]}}"#, "delprojekt"),
        ] {
            let file = directory.appendingPathComponent("c.json")
            try Data(json.utf8).write(to: file)
            #expect(throws: BookerConfigurationError.self, "\(json)") { try BookerConfiguration.load(path: file.path) }
            do {
                _ = try BookerConfiguration.load(path: file.path)
            } catch {
                #expect("\(error)".contains(reason), "\(json): \(error)")
            }
        }
        let partial = directory.appendingPathComponent("p.json")
        try Data(#"{"maxMeetingsPerStaffPerDay": 2, "insatsStaff": {"HBS/groupActivity": ["g-1"]}}"#.utf8).write(
            to: partial)
        let loaded = try BookerConfiguration.load(path: partial.path)
        #expect(loaded.maxMeetingsPerStaffPerDay == 2 && loaded.meetingMinutes == 60)
        #expect(loaded.staff(of: .hbs, .groupActivity) == ["g-1"])
        #expect(loaded.staff(of: .hbs, .caseManagement) == [])
    }

    @Test("config/booker.json covers every insats staff id mia simulate emits", arguments: [2500, 10_000])
    func coversSimulation(participants: Int) async throws {
        let configuration = try BookerConfiguration.load(path: Self.shipped)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("booker-sim-\(UUID())")
        let output = try await runToCompletion(
            "mia", ["simulate", "--participants", String(participants), "--out", directory.path])
        #expect(output.status == 0, "\(output.stderr)")
        struct Referral: Decodable {
            var delprojekt: Delprojekt
            var insatsType: InsatsType
            var insatsContactId: String?
        }
        struct Busy: Decodable { var staffId: String }
        let lines = { (file: String) in
            try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
        }
        let referrals = try lines("referral.ndjson").map {
            try JSONDecoder().decode(Referral.self, from: Data($0.utf8))
        }
        #expect(referrals.count >= participants)
        var named = 0
        for referral in referrals {
            let staff = configuration.staff(of: referral.delprojekt, referral.insatsType)
            #expect(!staff.isEmpty, "\(referral.delprojekt) has staff")
            if let contact = referral.insatsContactId {
                named += 1
                #expect(staff.contains(contact), "\(contact) of \(referral.delprojekt)")
            }
        }
        #expect(named > referrals.count / 2, "about 60 % name their contact person")
        let everyone = Set(configuration.insatsStaff.values.joined())
        let busyStaff = Set(
            try lines("calendar-busy.ndjson").map { try JSONDecoder().decode(Busy.self, from: Data($0.utf8)).staffId })
        let insatsBusy = busyStaff.filter { $0.contains("-ins-") }
        #expect(!insatsBusy.isEmpty)
        #expect(insatsBusy.subtracting(everyone).sorted() == [], "busy insats staff missing from the configuration")
    }
}
