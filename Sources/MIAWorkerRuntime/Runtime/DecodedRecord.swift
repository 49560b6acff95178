import Crypto
import Foundation
import MIAContracts
import MIAKafka

/// A consumed record with its event decoded and validated, and the inbox key it is known by.
///
/// Decoding happens as records are polled, outside the store transaction: the next batch is decoded while the
/// previous one is written, and replicas sharing a store decode in parallel rather than one at a time under its
/// write lock.
struct DecodedRecord: PartitionedRecord {
    /// The record as consumed.
    let message: KafkaConsumerMessage
    /// Its event, or why it is not one.
    let event: Result<CloudEvent, ContractViolation>
    /// Its key in the inbox: the event's source and id, or its position when it could not be decoded.
    let inboxKey: String

    init(_ message: KafkaConsumerMessage, decoder: EventDecoder) {
        self.message = message
        let event: Result<CloudEvent, ContractViolation>
        do throws(ContractViolation) {
            event = .success(try decoder.decode(message.value))
        } catch {
            event = .failure(error)
        }
        self.event = event
        inboxKey = Self.inboxKey(message, try? event.get())
    }

    var topic: String { message.topic }
    var topicPartition: TopicPartition { message.topicPartition }
    var offset: Int64 { message.offset }

    /// The inbox key of a record: its event's source and id, or its position when it could not be decoded.
    static func inboxKey(_ record: KafkaConsumerMessage, _ event: CloudEvent?) -> String {
        guard let event else { return "raw:\(record.topic)/\(record.partition)/\(record.offset)" }
        return inboxKey(source: event.source, id: event.id)
    }

    /// `<source> <id>`: CloudEvents ids are unique per source. Spaces and percent signs of the source are
    /// escaped, so that the first space separates the two.
    static func inboxKey(source: String, id: String) -> String {
        guard source.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "%") }) else {
            return source + " " + id
        }
        return source.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20") + " " + id
    }

    /// The digest the inbox keeps of a dead-lettered record's bytes: a different record under the same id is a
    /// correction, handled; the same bytes again are a redelivery, dropped.
    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
