import CRdKafka

/// The librdkafka this process is linked against.
public enum KafkaClientLibrary {
    /// librdkafka's version text, for example `2.0.2`.
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
