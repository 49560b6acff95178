/// The `data` of one kind of MIAFlow event: a Codable value with its Kafka key and business rules.
public protocol EventData: Codable, Sendable, Hashable {
    /// The Kafka key of the record that carries this data; also the CloudEvent `subject`.
    var partitionKey: String { get }

    /// The business rules this value breaks when sent as an event of the given type.
    ///
    /// Field paths are relative to the `data` object (`plannedEnd`, `handlaggare.id`).
    /// - Parameter type: The event type the value is sent as; some rules differ between types that
    ///   share a data structure (a booked meeting has a time, an unschedulable one a reason).
    func violations(as type: EventType) -> [ContractViolation]
}
