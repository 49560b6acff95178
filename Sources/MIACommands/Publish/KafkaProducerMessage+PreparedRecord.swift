import MIAContracts
import MIAKafka

extension KafkaProducerMessage {
    /// The `content-type` header of a structured-mode CloudEvent, as the AsyncAPI document declares.
    static let cloudEventContentType = KafkaHeader(name: "content-type", string: "application/cloudevents+json")

    /// The Kafka record of a prepared agency record: its topic and key, the CloudEvent as value.
    init(_ record: PreparedRecord) {
        self.init(topic: record.topic, key: record.key, value: record.value, headers: [Self.cloudEventContentType])
    }
}
