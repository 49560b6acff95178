import MIAContracts

/// Where messages go: one webhook endpoint or one SMTP relay, with its own queue (the agencies it serves), its own
/// concurrency limit and its own ``CircuitBreaker``, so that a slow or dead destination delays only its own
/// messages.
///
/// Agencies whose channels name the same URL or the same relay share a destination; the smallest concurrency among
/// them applies. Agencies routed to the topic form one more destination, `unrouted`, which only exists to
/// dead-letter messages left in the ledger after their agency was moved to the topic.
struct DeliveryDestination: Sendable, Hashable {
    /// `webhook https://…`, `email smtp://host:port` or `unrouted`.
    var key: String
    /// The channel's name: `webhook`, `email` or `topic`.
    var channel: String
    /// The agencies whose messages go here.
    var agencies: [Agency]
    /// The most attempts in flight at once.
    var concurrency: Int
    /// How long an attempt holds its message in the ledger: the longest timeout of the agencies' channels and a
    /// margin. A process that dies mid-attempt leaves the message to be attempted again after it.
    var lease: Duration

    /// Whether this is the `unrouted` destination of agencies on the topic, which only dead-letters what is left.
    var isUnrouted: Bool { channel == NotificationChannel.topic.name }

    /// Every destination of a routing, one per distinct endpoint or relay, and `unrouted` for the other agencies; in
    /// a stable order.
    static func all(of routing: NotificationRouting) -> [DeliveryDestination] {
        var destinations: [DeliveryDestination] = []
        for agency in Agency.allCases {
            let channel = routing.channel(for: agency)
            let key = channel.isDirect ? channel.destination : "unrouted"
            let lease = channel.timeout + .seconds(30)
            if let index = destinations.firstIndex(where: { $0.key == key }) {
                destinations[index].agencies.append(agency)
                destinations[index].concurrency = min(destinations[index].concurrency, channel.concurrency)
                destinations[index].lease = max(destinations[index].lease, lease)
            } else {
                destinations.append(
                    DeliveryDestination(
                        key: key, channel: channel.name, agencies: [agency], concurrency: channel.concurrency,
                        lease: lease))
            }
        }
        return destinations
    }
}
