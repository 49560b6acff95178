import MIAKafka
import Testing

@Suite("Kafka configuration from the environment")
struct KafkaConfigurationTests {
    @Test("MIA_KAFKA_<PROPERTY> variables become librdkafka properties; the bootstrap has its own variable")
    func environmentProperties() throws {
        let environment = [
            "MIA_KAFKA_BOOTSTRAP": "kafka-1:9093,kafka-2:9093",
            "MIA_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "MIA_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            "MIA_KAFKA_SSL_CA_LOCATION": "/etc/kafka/ca.pem",
            "PATH": "/usr/bin",
        ]
        let configuration = try KafkaConfiguration.fromEnvironment(environment)
        #expect(configuration.bootstrapServers == "kafka-1:9093,kafka-2:9093")
        #expect(
            configuration.properties == [
                "security.protocol": "SASL_SSL",
                "sasl.mechanism": "SCRAM-SHA-512",
                "ssl.ca.location": "/etc/kafka/ca.pem",
            ])
    }

    @Test("--bootstrap wins over the environment; no bootstrap at all is a clear error")
    func bootstrapPrecedence() throws {
        let configuration = try KafkaConfiguration.fromEnvironment(["MIA_KAFKA_BOOTSTRAP": "a:1"], bootstrap: "b:2")
        #expect(configuration.bootstrapServers == "b:2")
        #expect {
            try KafkaConfiguration.fromEnvironment([:])
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .configuration && error.message.contains("MIA_KAFKA_BOOTSTRAP")
        }
    }

    @Test(
        "A variable that would override a property the delivery guarantees rest on is refused by name",
        arguments: [
            ("MIA_KAFKA_ENABLE_AUTO_COMMIT", "false"), ("MIA_KAFKA_ENABLE_AUTO_OFFSET_STORE", "true"),
            ("MIA_KAFKA_ENABLE_IDEMPOTENCE", "false"), ("MIA_KAFKA_ACKS", "1"),
            ("MIA_KAFKA_REQUEST_REQUIRED_ACKS", "0"), ("MIA_KAFKA_ISOLATION_LEVEL", "read_uncommitted"),
        ])
    func guaranteePropertiesRefused(variable: String, value: String) throws {
        let environment = ["MIA_KAFKA_BOOTSTRAP": "a:1", "MIA_KAFKA_SECURITY_PROTOCOL": "SSL", variable: value]
        #expect {
            try KafkaConfiguration.fromEnvironment(environment)
        } throws: { error in
            guard let error = error as? KafkaError else { return false }
            return error.code == .configuration && error.message.hasPrefix("\(variable) cannot be set")
        }
        #expect(throws: Never.self) {
            try KafkaConfiguration.fromEnvironment(environment.filter { $0.key != variable })
        }
    }

    @Test("A property librdkafka rejects is reported by name")
    func rejectedProperty() throws {
        var configuration = KafkaProducerConfiguration(kafka: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"))
        configuration.kafka.properties["no.such.property"] = "1"
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: TestCluster(brokers: 1).logger)
        } throws: { error in
            (error as? KafkaError)?.code == .configuration && "\(error)".contains("no.such.property")
        }
    }
}
