import Foundation
import MIAContracts
import MIASimulation

/// The simulator's faulty records, as a careless agency integration would put them straight on Kafka,
/// bypassing `mia publish`: the demo's way to show that workers dead-letter bad input and go on.
///
/// Each faulty line is turned into the CloudEvent its valid twin (the next line) becomes, with the same fault
/// applied to the event's data: a field left out, a wrong type, an unknown code, a cut-off JSON text. A
/// personnummer is never put on a topic: the twin's participant reference stands in for it, and a personnummer
/// with a wrong check digit becomes a reference that is not valid.
enum DemoFaultInjection {
    /// One record to put on a topic as it is.
    /// Written to `injected-faults.ndjson` with key and value in base64.
    struct Record: Sendable, Hashable, Codable {
        /// The simulator's description of the fault, `referral.ndjson:17 missingField`.
        var fault: String
        var topic: String
        var key: Data
        var value: Data
    }

    /// The faulty records of a simulation.
    static func records(of output: SimulationOutput, preparer: InputRecordPreparer) -> [Record] {
        var records: [Record] = []
        for fault in output.faults {
            let lines = output.lines(of: fault.recordKind)
            // `line` is 1-based; the valid twin follows the faulty line.
            guard fault.line < lines.count,
                case .ready(let twin) = preparer.prepare(Array(lines[fault.line].utf8), kind: fault.recordKind)
            else { continue }
            let value =
                broken(envelope: twin.value, faultyLine: lines[fault.line - 1], validLine: lines[fault.line])
                ?? cut(twin.value, like: lines[fault.line - 1], of: lines[fault.line])
            records.append(
                Record(fault: fault.description, topic: twin.topic, key: Data(twin.key), value: Data(value)))
        }
        return records
    }

    /// The envelope with the faulty line's data, or nil when the faulty line is not a JSON object.
    private static func broken(envelope: [UInt8], faultyLine: String, validLine: String) -> [UInt8]? {
        guard let faulty = object(Data(faultyLine.utf8)), let valid = object(Data(validLine.utf8)),
            var event = object(Data(envelope)), var data = event["data"] as? [String: Any]
        else { return nil }
        for key in valid.keys where faulty[key] == nil {
            data[key == "personnummer" ? "participantRef" : key] = nil
        }
        for (key, value) in faulty where key != "personnummer" {
            data[key] = value
        }
        if let number = faulty["personnummer"] as? String, number != valid["personnummer"] as? String {
            data["participantRef"] = "unverifiable-personnummer"
        }
        event["data"] = data
        event["id"] = "\(event["id"] ?? "")-faulty"
        return (try? JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])).map { Array($0) }
    }

    /// The envelope cut short where the faulty line was cut short of its valid twin.
    private static func cut(_ envelope: [UInt8], like faultyLine: String, of validLine: String) -> [UInt8] {
        let share = Double(faultyLine.utf8.count) / Double(max(validLine.utf8.count, 1))
        let length = min(max(Int(Double(envelope.count) * share), 1), envelope.count - 1)
        return Array(envelope.prefix(length))
    }

    private static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
