import CRdKafka

/// Builds an `rd_kafka_conf_t` from string properties.
enum RDKafkaConfig {
    /// Creates a configuration object with every property set, or throws naming the rejected property.
    ///
    /// - Important: The caller owns the returned pointer until it passes it to `rd_kafka_new`.
    static func make(_ properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorBuffer = RDKafkaErrorText.buffer()
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = RDKafkaErrorText.message(in: errorBuffer)
                throw KafkaError(code: .configuration, message: "property \(key): \(reason)")
            }
        }
        return conf
    }
}
