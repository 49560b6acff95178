import Foundation
import MIAContracts
import Testing

@testable import MIANotifier

@Suite("Notifier: operator-editable templates")
struct TemplateTests {
    /// The repository's `notifier/templates` folder.
    static let shippedFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("notifier/templates")

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mia-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("Every kind has a shipped file, equal to its built-in copy")
    func shippedEqualsBuiltIn() throws {
        for kind in NotificationKind.allCases {
            let file = Self.shippedFolder.appendingPathComponent("\(kind.rawValue).mustache")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text == (BuiltInTemplates.sources[kind] ?? "") + "\n", "\(kind.rawValue)")
        }
        let loaded = try NotificationTemplates(directory: Self.shippedFolder.path)
        #expect(loaded.origins.values.allSatisfy { $0.hasPrefix(Self.shippedFolder.path) })
        #expect(NotificationTemplates.builtIn.origins.count == NotificationKind.allCases.count)
    }

    @Test("An operator's file replaces one kind; the others stay built in; text is not HTML-escaped")
    func operatorOverride() async throws {
        let folder = try Self.temporaryFolder()
        try "Ny anvisning {{referralId}}\n\n{{agencyCaseRef}} & <{{plannedStart}}>\n\n\n\nSlut\n"
            .write(to: folder.appendingPathComponent("referralReceived.mustache"), atomically: true, encoding: .utf8)
        let templates = try NotificationTemplates(directory: folder.path)
        #expect(templates.origins[.referralReceived] == folder.appendingPathComponent("referralReceived.mustache").path)
        #expect(templates.origins[.meetingBooked] == "built-in")

        let journey = Journey(index: 5)
        let store = try await HandlerStore(NotifierHandler(configuration: NotifierConfiguration(templates: templates)))
        let notification = try #require(try await store.apply([journey.referral()]).first)
        #expect(notification.subject == "Ny anvisning ref-5")
        #expect(notification.body == "AF-2018-1005 & <19 mars 2018>\n\nSlut", "blank lines collapsed, nothing escaped")
    }

    @Test("A missing folder, an empty subject or invalid Mustache stops the start")
    func invalidTemplates() throws {
        #expect { try NotificationTemplates(directory: "/nonexistent/templates") } throws: { error in
            (error as? NotifierError)?.code == .templateDirectoryNotFound
        }
        let folder = try Self.temporaryFolder()
        let file = folder.appendingPathComponent("outcomeRecorded.mustache")
        try "Slut {{#outcome}}\n".write(to: file, atomically: true, encoding: .utf8)
        #expect { try NotificationTemplates(directory: folder.path) } throws: { error in
            (error as? NotifierError)?.code == .templateInvalid
        }
        try "\nNo subject\n".write(to: file, atomically: true, encoding: .utf8)
        #expect { try NotificationTemplates(directory: folder.path) } throws: { error in
            (error as? NotifierError)?.code == .templateInvalid
        }
    }

    @Test("Located from the flag, the environment, beside the executable or the working directory, else built in")
    func locating() throws {
        let empty = try Self.temporaryFolder()
        let custom = try Self.temporaryFolder()
        try "Från flaggan\n".write(
            to: custom.appendingPathComponent("approachingEnd.mustache"), atomically: true, encoding: .utf8)
        let install = try Self.temporaryFolder()
        let shipped = install.appendingPathComponent("notifier/templates")
        try FileManager.default.createDirectory(at: shipped, withIntermediateDirectories: true)
        try "Bredvid programmet\n".write(
            to: shipped.appendingPathComponent("approachingEnd.mustache"), atomically: true, encoding: .utf8)
        let executable = install.appendingPathComponent("bin/mia-notifier")

        func origin(_ directory: String?, _ environment: [String: String], _ executable: URL?, _ working: URL) throws
            -> String?
        {
            try NotificationTemplates.locate(
                directory: directory, environment: environment, executable: executable, workingDirectory: working.path
            ).origins[.approachingEnd]
        }
        let fromCustom = custom.appendingPathComponent("approachingEnd.mustache").path
        let fromInstall = shipped.appendingPathComponent("approachingEnd.mustache").path
        #expect(try origin(custom.path, ["MIA_NOTIFIER_TEMPLATES": shipped.path], executable, empty) == fromCustom)
        #expect(try origin(nil, ["MIA_NOTIFIER_TEMPLATES": custom.path], executable, empty) == fromCustom)
        #expect(try origin(nil, [:], executable, empty) == fromInstall)
        #expect(try origin(nil, [:], empty.appendingPathComponent("mia-notifier"), install) == fromInstall)
        #expect(try origin(nil, [:], nil, empty) == "built-in")
        #expect(throws: NotifierError.self) { try origin(nil, ["MIA_NOTIFIER_TEMPLATES": "/nonexistent"], nil, empty) }
    }
}
