import Foundation

/// Connection settings and librdkafka properties shared by producers, consumers and admin clients.
///
/// Any librdkafka property can be set in ``properties``; ``fromEnvironment(_:bootstrap:)`` reads them from
/// `MIA_KAFKA_<PROPERTY>` variables, dots written as underscores (`MIA_KAFKA_SECURITY_PROTOCOL=SASL_SSL`
/// sets `security.protocol`), so TLS and SASL work against a production cluster without code changes.
public struct KafkaConfiguration: Sendable, Hashable {
    /// The bootstrap servers, `host:port[,host:port...]`.
    public var bootstrapServers: String
    /// librdkafka properties passed through unchanged. They override the component's defaults.
    public var properties: [String: String]
    /// The client id reported to the brokers.
    public var clientId: String

    /// The environment variable that holds the bootstrap servers.
    public static let bootstrapVariable = "MIA_KAFKA_BOOTSTRAP"
    /// The prefix of environment variables that become librdkafka properties.
    public static let propertyPrefix = "MIA_KAFKA_"

    /// The librdkafka properties MIAFlow's delivery guarantees rest on, with their aliases: offsets stored only
    /// after a record's effects are durable and committed from there, an idempotent producer whose writes every
    /// in-sync replica has, and reads of committed data only. ``fromEnvironment(_:bootstrap:clientId:)`` refuses
    /// a `MIA_KAFKA_*` variable that names one of them.
    public static let guaranteeProperties: Set<String> = [
        "enable.auto.commit", "auto.commit.enable", "enable.auto.offset.store", "enable.idempotence", "acks",
        "request.required.acks", "isolation.level",
    ]

    public init(bootstrapServers: String, properties: [String: String] = [:], clientId: String = "mia") {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
        self.clientId = clientId
    }

    /// Reads the configuration from environment variables.
    ///
    /// - Parameters:
    ///   - environment: The environment to read, by default the process's.
    ///   - bootstrap: A bootstrap given on the command line; it wins over `MIA_KAFKA_BOOTSTRAP`.
    /// - Throws: ``KafkaError/Code/configuration`` when no bootstrap servers are given at all, or when a variable
    ///   would override one of the ``guaranteeProperties``.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        bootstrap: String? = nil,
        clientId: String = "mia"
    ) throws(KafkaError) -> KafkaConfiguration {
        guard let servers = bootstrap ?? environment[bootstrapVariable], !servers.isEmpty else {
            throw KafkaError(
                code: .configuration,
                message: "no Kafka bootstrap servers: pass --bootstrap host:port or set \(bootstrapVariable) "
                    + "(for the development broker, start `mia devbroker` and use the address it prints)")
        }
        let properties = properties(fromEnvironment: environment)
        if let property = properties.keys.sorted().first(where: guaranteeProperties.contains) {
            throw KafkaError(
                code: .configuration,
                message: "\(variable(for: property)) cannot be set: MIAFlow's delivery guarantees rest on "
                    + "\(property) (offsets committed only after effects are durable, idempotent acks=all "
                    + "producers, read_committed consumers); unset the variable")
        }
        return KafkaConfiguration(bootstrapServers: servers, properties: properties, clientId: clientId)
    }

    /// The `MIA_KAFKA_*` variable that sets a librdkafka property.
    public static func variable(for property: String) -> String {
        propertyPrefix + property.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    /// The librdkafka properties named by `MIA_KAFKA_*` variables (other than the bootstrap variable).
    public static func properties(fromEnvironment environment: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(propertyPrefix) && name != bootstrapVariable {
            let property = name.dropFirst(propertyPrefix.count).lowercased().replacingOccurrences(of: "_", with: ".")
            guard !property.isEmpty else { continue }
            result[property] = value
        }
        return result
    }

    /// The complete property set for a client: the component's defaults, then ``properties`` on top.
    func resolved(defaults: [String: String]) -> [String: String] {
        var all = defaults
        all["bootstrap.servers"] = bootstrapServers
        all["client.id"] = clientId
        for (key, value) in properties { all[key] = value }
        return all
    }
}
