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
    /// - Throws: ``KafkaError/Code/configuration`` when no bootstrap servers are given at all.
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
        return KafkaConfiguration(
            bootstrapServers: servers, properties: properties(fromEnvironment: environment), clientId: clientId)
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
