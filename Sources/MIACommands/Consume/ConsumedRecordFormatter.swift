import Foundation
import MIAKafka

/// Renders consumed records for `mia consume`: one JSON object per line, or aligned text.
enum ConsumedRecordFormatter {
    /// One NDJSON line: topic, partition, offset, timestamp, key, headers and value (as text when UTF-8,
    /// else base64 under `valueBase64`).
    static func json(_ message: KafkaConsumerMessage) -> String {
        var object: [String: Any] = [
            "topic": message.topic,
            "partition": Int(message.partition),
            "offset": Int(message.offset),
        ]
        object["timestamp"] = message.timestampMilliseconds.map { Int($0) } ?? NSNull()
        object["key"] = message.keyString ?? NSNull()
        var headers: [String: Any] = [:]
        for header in message.headers { headers[header.name] = header.stringValue ?? NSNull() }
        object["headers"] = headers
        if let text = String(validating: message.value, as: UTF8.self) {
            object["value"] = text
        } else {
            object["valueBase64"] = Data(message.value).base64EncodedString()
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// One line: `topic[partition]@offset key value`.
    static func text(_ message: KafkaConsumerMessage) -> String {
        let value = String(validating: message.value, as: UTF8.self) ?? "<\(message.value.count) bytes>"
        return "\(message.topicPartition)@\(message.offset) \(message.keyString ?? "-") \(value)"
    }
}
