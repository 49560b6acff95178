import ArgumentParser
import MIAKafka

/// The Kafka connection options every command that talks to a cluster shares.
struct KafkaOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Kafka bootstrap servers, host:port[,host:port].",
            discussion: "Default: the MIA_KAFKA_BOOTSTRAP environment variable.",
            valueName: "servers"))
    var bootstrap: String?

    /// The configuration from the options and the environment.
    func configuration(clientId: String = "mia") throws -> KafkaConfiguration {
        do {
            return try KafkaConfiguration.fromEnvironment(bootstrap: bootstrap, clientId: clientId)
        } catch {
            throw ValidationError(error.message)
        }
    }
}
