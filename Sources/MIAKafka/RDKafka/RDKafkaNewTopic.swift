import CRdKafka

extension NewTopic {
    /// The librdkafka request object for this topic. The caller destroys it with `rd_kafka_NewTopic_destroy`.
    ///
    /// - Throws: ``KafkaError/Code/admin`` when librdkafka rejects the name, counts or a config entry.
    func makeRDKafkaNewTopic() throws(KafkaError) -> OpaquePointer {
        var errorBuffer = RDKafkaErrorText.buffer()
        guard
            let topic = rd_kafka_NewTopic_new(
                name, Int32(clamping: partitions), Int32(clamping: replicationFactor), &errorBuffer, errorBuffer.count)
        else {
            let reason = RDKafkaErrorText.message(in: errorBuffer)
            throw KafkaError(code: .admin, message: "topic \(name): \(reason)")
        }
        for (key, value) in configs.sorted(by: { $0.key < $1.key }) {
            let err = rd_kafka_NewTopic_set_config(topic, key, value)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                rd_kafka_NewTopic_destroy(topic)
                throw KafkaError.rdKafka(err, context: "topic \(name) config \(key)")
            }
        }
        return topic
    }
}
