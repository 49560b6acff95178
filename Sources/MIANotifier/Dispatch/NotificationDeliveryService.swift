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
/// **Retry by time.** A failed attempt is retried on a 5xx, 408 or 429 answer, a timeout or a connection failure,
/// after the backoff's wait (see ``NotificationDeliveryConfiguration/backoff``), until the channel's horizon (24
/// hours by default) has passed since the message was first due; then, or at once on any other answer, the
/// message's notifications are dead-lettered to `mia.dlq.notifier` through the runtime's outbox. `mia dlq replay
/// --worker notifier` puts a dead-lettered delivery back in the queue (see ``NotificationDeliveryQueue``).
///
/// **Per-destination isolation.** Each destination (a webhook URL, an SMTP relay; see `DeliveryDestination`) has its
/// own queue, its own concurrency limit and its own circuit breaker (see `CircuitBreaker`): an attempt that hangs
/// holds only one of its destination's slots, the others go on, and each destination's next message starts as
/// soon as one of its attempts ends. A destination that keeps failing is left alone for the breaker's open period
/// and then probed with one message; when it answers, its waiting messages are due at once.
///
/// - Important: Dead letters are relayed by the `WorkerRuntime` sharing the store; run both in one
///   `ServiceGroup` on the same store.
public struct NotificationDeliveryService: Service {
    private let routing: NotificationRouting
    private let ledger: DeliveryLedger
    private let configuration: NotificationDeliveryConfiguration
    private let logger: Logger
    private let metrics: DeliveryMetrics
    private let destinations: [DeliveryDestination]
    /// One webhook client (one `URLSession`) per destination, by index; `nil` for other channels.
    private let webhooks: [WebhookClient?]
    private let smtp = SMTPClient()
    private let lanes: DeliveryLanes.Shared
    /// Rung when an attempt ends, so that its destination's next message starts at once rather than at the next
    /// poll.
    private let wakeup = Doorbell()

    /// Creates the service.
    /// - Parameters:
    ///   - routing: The channels of the agencies, as given to the handler.
    ///   - store: The worker's store, shared with its `WorkerRuntime`.
    ///   - configuration: Digest, backoff, circuit breakers, polling and the clock.
    ///   - metrics: The worker's metrics, for the delivery metrics on `/metrics`; none by default.
    ///   - logger: Where attempts and outcomes are logged, with ids and reasons, never personal data.
    public init(
        routing: NotificationRouting, store: any WorkerStore,
        configuration: NotificationDeliveryConfiguration = NotificationDeliveryConfiguration(),
        metrics: WorkerMetrics? = nil, logger: Logger
    ) {
        self.routing = routing
        ledger = DeliveryLedger(store: store)
        self.configuration = configuration
        self.logger = logger
        self.metrics = DeliveryMetrics(metrics: metrics)
        destinations = DeliveryDestination.all(of: routing)
        webhooks = destinations.map { destination in
            destination.channel == "webhook" ? WebhookClient(connections: destination.concurrency) : nil
        }
        lanes = DeliveryLanes.Shared(DeliveryLanes(destinations, breaker: configuration.breakerPolicy))
    }

    /// Delivers until graceful shutdown; attempts in flight are finished, not cut off.
    public func run() async throws {
        try await ledger.store.migrate(NotifierTables.migrations)
        let released = try await ledger.reconcileHeld(digest: configuration.digest, now: configuration.now())
        let backlog = try await ledger.backlog()
        logger.info(
            "notification delivery starting",
            metadata: [
                "digest": "\(configuration.digest)", "channels": "\(routing)", "held": "\(backlog.held)",
                "nextDigest": "\(backlog.nextHeldDue.map { ISO8601DateFormatter().string(from: $0) } ?? "-")",
                "heldRescheduled": "\(released)",
                "destinations": "\(destinations.filter { !$0.isUnrouted }.map(\.key).joined(separator: ", "))",
            ])
        let stopping = Atomic<Bool>(false)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                var nextSchedule = ContinuousClock.now
                var nextGauges = ContinuousClock.now
                while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
                    do {
                        let now = configuration.now()
                        if ContinuousClock.now >= nextSchedule {
                            try await schedule(now: now)
                            nextSchedule = .now + configuration.pollInterval
                        }
                        for claimed in try await claim(now: now) {
                            group.addTask {
                                await deliver(claimed.message, lane: claimed.lane)
                                wakeup.ring()
                            }
                        }
                    } catch {
                        logger.warning("notification delivery failed; will retry", metadata: ["error": "\(error)"])
                    }
                    if ContinuousClock.now >= nextGauges {
                        await updateGauges()
                        nextGauges = .now + configuration.gaugeInterval
                    }
                    await wakeup.wait(timeout: configuration.pollInterval)
                }
            }
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            wakeup.ring()
        }
        await updateGauges()
        logger.info("notification delivery stopped")
    }

    /// One round, awaited: schedules new notifications, forms the digests that are due, dead-letters what has
    /// passed its horizon at destinations whose breaker is open, and makes one attempt at each message due now (up
    /// to each destination's free concurrency), recording every outcome and updating the gauges.
    /// - Returns: The number of messages attempted.
    /// - Throws: A store error while scheduling or claiming; nothing was attempted then.
    @discardableResult
    public func deliverDue() async throws -> Int {
        let now = configuration.now()
        try await schedule(now: now)
        let claimed = try await claim(now: now)
        await withDiscardingTaskGroup { group in
            for entry in claimed {
                group.addTask { await deliver(entry.message, lane: entry.lane) }
            }
        }
        await updateGauges()
        return claimed.count
    }

    // MARK: Steps

    private func schedule(now: Date) async throws {
        let digests = try await ledger.schedule(now: now, digest: configuration.digest)
        for digest in digests {
            logger.info(
                "digest formed",
                metadata: [
                    "delivery": "\(digest.id)", "notifications": "\(digest.notifications)",
                    "superseded": "\(digest.superseded)",
                ])
        }
    }

    /// Claims the due messages each destination may start, after dead-lettering the expired messages of the
    /// destinations whose breaker is open.
    private func claim(now: Date) async throws -> [(lane: Int, message: OutgoingMessage)] {
        try await expire(now: now)
        let quotas = lanes.withLock { $0.quotas(now: now) }
        guard !quotas.isEmpty else { return [] }
        let claims = quotas.map { quota in
            let destination = destinations[quota.lane]
            return DeliveryLedger.Claim(
                agencies: destination.agencies, limit: quota.limit, lease: destination.lease)
        }
        let messages: [[OutgoingMessage]]
        do {
            messages = try await ledger.claim(now: now, claims)
        } catch {
            lanes.withLock { lanes in
                for quota in quotas { lanes.claimed(quota, count: 0, now: now) }
            }
            throw error
        }
        lanes.withLock { lanes in
            for (quota, claimed) in zip(quotas, messages) { lanes.claimed(quota, count: claimed.count, now: now) }
        }
        return zip(quotas, messages).flatMap { quota, claimed in claimed.map { (quota.lane, $0) } }
    }

    /// Dead-letters, without another attempt, the waiting messages of destinations whose breaker is open once their
    /// horizon has passed.
    private func expire(now: Date) async throws {
        let open = lanes.withLock { $0.open }
        guard !open.isEmpty else { return }
        var horizons: [Agency: Duration] = [:]
        var lease: Duration = .seconds(30)
        for index in open {
            for agency in destinations[index].agencies { horizons[agency] = routing.channel(for: agency).horizon }
            lease = max(lease, destinations[index].lease)
        }
        for message in try await ledger.claimExpired(now: now, horizons: horizons, lease: lease) {
            let horizon = routing.channel(for: message.agency).horizon
            let reason =
                DeliveryDecision.horizonPassed(
                    channel: message.channel, attempts: message.attempt, horizon: horizon, last: message.lastResult)
                + " (endpoint unavailable: circuit open)"
            await deadLetter(message, reason: reason, metadata: Self.metadata(message))
        }
    }

    /// One attempt at a message, and its outcome recorded. When the outcome cannot be recorded, the message is
    /// attempted again after its lease.
    private func deliver(_ message: OutgoingMessage, lane: Int) async {
        let channel = routing.channel(for: message.agency)
        let started = ContinuousClock.now
        let result = await attempt(message, over: channel, client: webhooks[lane])
        metrics.attempted(message, result, took: ContinuousClock.now - started)
        let now = configuration.now()
        let transition = lanes.withLock { $0.finished(lane: lane, result.breakerOutcome, now: now) }
        var metadata = Self.metadata(message)
        metadata["result"] = "\(result)"
        do {
            switch DeliveryDecision(
                after: result, of: message, horizon: channel.horizon, backoff: configuration.backoff, now: now)
            {
            case .delivered:
                try await ledger.delivered(message, result: result, now: now)
                metrics.delivered(message, latency: now.timeIntervalSince(message.pendingSince))
                logger.info("notification delivered", metadata: metadata)
            case .retry(let due):
                try await ledger.retry(message, result: result, at: due)
                metadata["retryAt"] = "\(ISO8601DateFormatter().string(from: due))"
                logger.warning("notification delivery failed; will retry", metadata: metadata)
            case .deadLetter(let reason):
                await deadLetter(message, reason: reason, metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.warning(
                "could not record a delivery outcome; the message is attempted again after its lease",
                metadata: metadata)
        }
        await act(on: transition, lane: lane, now: now)
    }

    private func deadLetter(_ message: OutgoingMessage, reason: String, metadata: Logger.Metadata) async {
        var metadata = metadata
        metadata["reason"] = "\(reason)"
        do {
            let topics = try await ledger.deadLetter(message, reason: reason)
            metrics.deadLettered(message, topics: topics)
            logger.error("notification dead-lettered", metadata: metadata)
        } catch {
            metadata["error"] = "\(error)"
            logger.warning(
                "could not dead-letter a delivery; it is tried again after its lease", metadata: metadata)
        }
    }

    /// Logs a breaker's change of state; when a destination answers again, its waiting messages are due now.
    private func act(on transition: CircuitBreaker.Transition?, lane: Int, now: Date) async {
        let destination = destinations[lane]
        let metadata: Logger.Metadata = [
            "destination": "\(destination.key)",
            "agencies": "\(destination.agencies.map(\.rawValue).joined(separator: ","))",
        ]
        switch transition {
        case .opened(let until):
            var metadata = metadata
            metadata["until"] = "\(ISO8601DateFormatter().string(from: until))"
            logger.warning("delivery destination failing; circuit open, probing later", metadata: metadata)
        case .closed:
            do {
                var metadata = metadata
                metadata["due"] = "\(try await ledger.makeDue(agencies: destination.agencies, now: now))"
                logger.info("delivery destination answers again; circuit closed", metadata: metadata)
            } catch {
                logger.warning("could not make waiting messages due", metadata: ["error": "\(error)"])
            }
            wakeup.ring()
        case nil:
            break
        }
    }

    private func updateGauges() async {
        guard metrics.metrics != nil else { return }
        do {
            let backlog = try await ledger.backlog()
            let open = Set(lanes.withLock { $0.open })
            let routes = destinations.indices.filter { !destinations[$0].isUnrouted }.flatMap { index in
                destinations[index].agencies.map { agency in
                    (channel: destinations[index].channel, agency: agency, isOpen: open.contains(index))
                }
            }
            let now = configuration.now()
            metrics.backlog(
                backlog, routes: routes, nextDigest: configuration.digest.nextDigest(after: now), now: now)
        } catch {
            logger.debug("could not read the delivery backlog", metadata: ["error": "\(error)"])
        }
    }

    private func attempt(
        _ message: OutgoingMessage, over channel: NotificationChannel, client: WebhookClient?
    ) async -> DeliveryResult {
        guard channel.name == message.channel else {
            return .permanent(
                "agency \(message.agency.rawValue) is no longer routed to \(message.channel)", reason: "unrouted")
        }
        if let webhook = channel.webhook {
            return await (client ?? WebhookClient()).post(message, to: webhook, now: Date())
        }
        if let email = channel.email {
            guard
                let address = email.address(
                    contactChannel: message.contactChannel, handlaggareId: message.handlaggareId)
            else { return .permanent("no e-mail address for the contact channel", reason: "no_address") }
            let mail = EmailMessage(from: email.from, to: address, message: message, date: Date())
            return await smtp.send(mail.text, from: email.from, to: address, settings: email)
        }
        return .permanent("\(message.channel) is not a direct channel", reason: "unrouted")
    }

    private static func metadata(_ message: OutgoingMessage) -> Logger.Metadata {
        [
            "delivery": "\(message.id)", "channel": "\(message.channel)", "agency": "\(message.agency.rawValue)",
            "attempt": "\(message.attempt)", "digest": "\(message.isDigest)",
        ]
    }
}
