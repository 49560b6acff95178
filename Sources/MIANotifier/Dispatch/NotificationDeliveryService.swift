import Foundation
import Logging
import MIAContracts
import MIAWorkerRuntime
import ServiceLifecycle
import Synchronization

/// Delivers the notifications of direct channels (webhook, e-mail): a `Service` that runs beside the worker
/// runtime in `mia-notifier` and works through the ``DeliveryLedger`` the handler fills.
///
/// Each notification is delivered once per handläggare: the handler adds it to the ledger only the first time
/// it is notified, in the same transaction, and the ledger records each attempt before it is made and each
/// outcome after. A crash during an attempt makes the service resend only that one message, after the attempt's
/// lease; receivers drop an id they have already accepted (`X-MIA-Notification-Id`).
///
/// A failed attempt is retried with exponential backoff and jitter on a 5xx, 408 or 429 answer, a timeout or a
/// connection failure; after the channel's `maxAttempts`, or at once on any other answer, the message's
/// notifications are dead-lettered to `mia.dlq.notifier` through the runtime's outbox.
///
/// - Important: Dead letters are relayed by the `WorkerRuntime` sharing the store; run both in one
///   `ServiceGroup` on the same store.
public struct NotificationDeliveryService: Service {
    private let routing: NotificationRouting
    private let ledger: DeliveryLedger
    private let configuration: NotificationDeliveryConfiguration
    private let logger: Logger
    private let webhooks = WebhookClient()
    private let smtp = SMTPClient()
    /// How long an attempt holds its message: the longest channel timeout and a margin.
    private let lease: Duration

    /// Creates the service.
    /// - Parameters:
    ///   - routing: The channels of the agencies, as given to the handler.
    ///   - store: The worker's store, shared with its `WorkerRuntime`.
    ///   - configuration: Digest, backoff, polling and the clock.
    ///   - logger: Where attempts and outcomes are logged, with ids and reasons, never personal data.
    public init(
        routing: NotificationRouting, store: any WorkerStore,
        configuration: NotificationDeliveryConfiguration = NotificationDeliveryConfiguration(), logger: Logger
    ) {
        self.routing = routing
        ledger = DeliveryLedger(store: store)
        self.configuration = configuration
        self.logger = logger
        let channels = [routing.defaultChannel] + Array(routing.agencyChannels.values)
        let longest = channels.compactMap { $0.webhook?.timeout ?? $0.email?.timeout }.max() ?? .seconds(30)
        lease = longest + .seconds(30)
    }

    /// Delivers until graceful shutdown; an attempt in flight is finished, not cut off.
    public func run() async throws {
        try await ledger.store.migrate(NotifierTables.migrations)
        logger.info(
            "notification delivery starting",
            metadata: ["digest": "\(configuration.digest)", "channels": "\(routing)"])
        let stopping = Atomic<Bool>(false)
        await withGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                let attempted: Int
                do {
                    attempted = try await deliverDue()
                } catch {
                    logger.warning("notification delivery failed; will retry", metadata: ["error": "\(error)"])
                    attempted = 0
                }
                if attempted == 0 { try? await Task.sleep(for: configuration.pollInterval) }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
        }
        logger.info("notification delivery stopped")
    }

    /// Schedules new notifications, forms the digests that are due, and makes one attempt at each message due
    /// now (up to the configured concurrency), recording every outcome.
    /// - Returns: The number of messages attempted.
    /// - Throws: A store error while scheduling or claiming; nothing was attempted then.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let now = configuration.now()
        try await ledger.schedule(now: now, digest: configuration.digest)
        let messages = try await ledger.claim(now: now, limit: max(configuration.concurrency, 1), lease: lease)
        await withTaskGroup(of: Void.self) { group in
            for message in messages {
                group.addTask { await deliver(message) }
            }
        }
        return messages.count
    }

    /// One attempt at a message, and its outcome recorded. When the outcome cannot be recorded, the message is
    /// attempted again after its lease.
    private func deliver(_ message: OutgoingMessage) async {
        let channel = routing.channel(for: message.agency)
        let result = await attempt(message, over: channel)
        let now = configuration.now()
        var metadata: Logger.Metadata = [
            "delivery": "\(message.id)", "channel": "\(message.channel)", "agency": "\(message.agency.rawValue)",
            "attempt": "\(message.attempt)", "result": "\(result)", "digest": "\(message.isDigest)",
        ]
        do {
            if result.isDelivered {
                try await ledger.delivered(message, result: result, now: now)
                logger.info("notification delivered", metadata: metadata)
            } else if result.isRetryable && message.attempt < channel.maxAttempts {
                let delay = configuration.backoff.delay(attempt: message.attempt)
                try await ledger.retry(message, result: result, at: now.addingTimeInterval(Self.seconds(delay)))
                metadata["retryIn"] = "\(delay)"
                logger.warning("notification delivery failed; will retry", metadata: metadata)
            } else {
                try await ledger.deadLetter(message, result: result)
                logger.error("notification dead-lettered", metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.warning(
                "could not record a delivery outcome; the message is attempted again after its lease",
                metadata: metadata)
        }
    }

    private func attempt(_ message: OutgoingMessage, over channel: NotificationChannel) async -> DeliveryResult {
        guard channel.name == message.channel else {
            return .permanent("agency \(message.agency.rawValue) is no longer routed to \(message.channel)")
        }
        if let webhook = channel.webhook {
            return await webhooks.post(message, to: webhook, now: Date())
        }
        if let email = channel.email {
            guard
                let address = email.address(
                    contactChannel: message.contactChannel, handlaggareId: message.handlaggareId)
            else { return .permanent("no e-mail address for the contact channel") }
            let mail = EmailMessage(from: email.from, to: address, message: message, date: Date())
            return await smtp.send(mail.text, from: email.from, to: address, settings: email)
        }
        return .permanent("\(message.channel) is not a direct channel")
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
