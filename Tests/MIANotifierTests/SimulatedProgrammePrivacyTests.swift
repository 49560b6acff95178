import Foundation
import MIAContracts
import MIANotifier
import MIASimulation
import MIAWorkerTestKit
import Testing

@Suite("No personal data in any notification of a simulated programme")
struct SimulatedProgrammePrivacyTests {
    @Test(
        "No personnummer (any form) and no participant reference appears in any notification",
        arguments: TestStore.available)
    func simulatedProgramme(store kind: TestStore) async throws {
        var configuration = SimulationConfiguration()
        configuration.participants = 150
        let simulation = try ProgrammeSimulator(configuration: configuration).run()
        let preparer = InputRecordPreparer(
            pseudonymizer: try Pseudonymizer(keyText: String(repeating: "k", count: 32)),
            referenceDate: CalendarDate(year: 2026, month: 11, day: 30)!)

        var events: [CloudEvent] = []
        var secrets: Set<String> = []
        for kind in SimulationOutput.publishOrder {
            for line in simulation.lines(of: kind) {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let personnummer = object["personnummer"] as? String
                {
                    let digits = personnummer.filter(\.isNumber)
                    secrets.formUnion([personnummer, digits, String(digits.suffix(10)), String(digits.suffix(4))])
                    secrets.insert(String(digits.dropFirst(2).prefix(6)) + "-" + String(digits.suffix(4)))
                }
                guard case .ready(let record) = preparer.prepare(Array(line.utf8), kind: kind) else {
                    Issue.record("a valid simulated \(kind.rawValue) record was rejected")
                    continue
                }
                events.append(record.event)
                if case .referralCreated(let referral) = record.event.payload {
                    secrets.insert(referral.participantRef)
                }
            }
        }
        secrets = secrets.filter { $0.count >= 10 }  // the 4-digit tails are too short to be meaningful alone
        #expect(secrets.count > 150)

        let notifications = try await HandlerStore(store: kind).apply(events)
        #expect(notifications.count > events.count / 2, "the programme produced notifications")
        let encoder = JSONEncoder()
        for notification in notifications {
            let text = String(decoding: try encoder.encode(notification), as: UTF8.self)
            for secret in secrets where text.contains(secret) {
                Issue.record("notification \(notification.notificationId) contains personal data")
            }
        }
    }
}
