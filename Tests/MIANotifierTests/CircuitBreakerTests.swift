import Foundation
import MIAContracts
import MIAWorkerRuntime
import Testing

@testable import MIANotifier

@Suite("Delivery rules without I/O: circuit breaker, destinations and their lanes, retry by time")
struct CircuitBreakerTests {
    let start = Journey.baseTime

    @Test("Opens after the threshold of failures in a row, probes once after the open period, closes on an answer")
    func breaker() {
        var breaker = CircuitBreaker(
            policy: .init(failureThreshold: 3, openFor: .seconds(30), maxOpenFor: .seconds(100)))
        #expect(breaker.record(.failure, now: start) == nil)
        #expect(breaker.record(.success, now: start) == nil, "an answer resets the count")
        #expect(breaker.record(.failure, now: start) == nil)
        #expect(breaker.record(.neutral, now: start) == nil, "nothing sent: no change")
        #expect(breaker.record(.failure, now: start) == nil)
        #expect(breaker.admission(now: start) == .all)
        #expect(breaker.record(.failure, now: start) == .opened(until: start.addingTimeInterval(30)))
        #expect(breaker.isOpen)
        #expect(breaker.admission(now: start.addingTimeInterval(29)) == .none)
        #expect(breaker.admission(now: start.addingTimeInterval(30)) == .probe)

        breaker.probeStarted()
        #expect(breaker.admission(now: start.addingTimeInterval(31)) == .none, "one probe at a time")
        #expect(
            breaker.record(.failure, now: start.addingTimeInterval(31)) == .opened(until: start.addingTimeInterval(91)),
            "a failed probe doubles the period")
        #expect(breaker.admission(now: start.addingTimeInterval(91)) == .probe)
        breaker.probeStarted()
        #expect(
            breaker.record(.failure, now: start.addingTimeInterval(100))
                == .opened(until: start.addingTimeInterval(200)),
            "at most maxOpenFor")
        #expect(breaker.admission(now: start.addingTimeInterval(200)) == .probe)
        breaker.probeStarted()
        breaker.probeNotStarted(now: start.addingTimeInterval(200))
        #expect(breaker.admission(now: start.addingTimeInterval(200)) == .probe, "a probe that found nothing due")
        breaker.probeStarted()
        #expect(breaker.record(.success, now: start.addingTimeInterval(201)) == .closed)
        #expect(!breaker.isOpen && breaker.admission(now: start.addingTimeInterval(201)) == .all)
    }

    @Test("Agencies sharing an endpoint share a destination; topic agencies form the unrouted one")
    func destinations() throws {
        let secret = Array("webhook-secret-0123456789abcdef".utf8)
        let shared = URL(string: "https://inbox.example/mia")!
        let routing = NotificationRouting(agencyChannels: [
            .af: .webhook(try WebhookSettings(url: shared, secret: secret, timeout: .seconds(10), concurrency: 6)),
            .fk: .webhook(try WebhookSettings(url: shared, secret: secret, timeout: .seconds(20), concurrency: 3)),
            .kommun: .email(
                try EmailSettings(
                    host: "127.0.0.1", from: "mia@forbund.example", recipientTemplate: "{handlaggareId}@k.example")),
        ])
        let destinations = DeliveryDestination.all(of: routing)
        #expect(
            destinations.map(\.key) == ["webhook https://inbox.example/mia", "email smtp://127.0.0.1:25", "unrouted"])
        #expect(destinations[0].agencies == [.af, .fk])
        #expect(destinations[0].concurrency == 3, "the smallest limit of the agencies sharing it")
        #expect(destinations[0].lease == .seconds(50), "the longest timeout and 30 s")
        #expect(destinations[1].concurrency == 2 && destinations[2].agencies == [.region])
    }

    @Test("Each destination starts up to its free slots; an open one only its probe, and a found-nothing probe again")
    func lanes() throws {
        let a = DeliveryDestination(key: "a", channel: "webhook", agencies: [.af], concurrency: 2, lease: .seconds(40))
        let b = DeliveryDestination(
            key: "b", channel: "email", agencies: [.kommun], concurrency: 1, lease: .seconds(60))
        var lanes = DeliveryLanes(
            [a, b], breaker: .init(failureThreshold: 1, openFor: .seconds(10), maxOpenFor: .seconds(10)))
        let quotas = lanes.quotas(now: start)
        #expect(quotas == [.init(lane: 0, limit: 2, isProbe: false), .init(lane: 1, limit: 1, isProbe: false)])
        lanes.claimed(quotas[0], count: 2, now: start)
        lanes.claimed(quotas[1], count: 0, now: start)
        #expect(lanes.quotas(now: start) == [.init(lane: 1, limit: 1, isProbe: false)], "a is full, b is free")
        #expect(lanes.finished(lane: 0, .failure, now: start) == .opened(until: start.addingTimeInterval(10)))
        #expect(lanes.finished(lane: 0, .failure, now: start) == nil)
        #expect(lanes.open == [0] && lanes.inFlight == 0)
        #expect(lanes.quotas(now: start.addingTimeInterval(5)) == [.init(lane: 1, limit: 1, isProbe: false)])
        let probe = lanes.quotas(now: start.addingTimeInterval(10))
        #expect(probe.first == .init(lane: 0, limit: 1, isProbe: true))
        lanes.claimed(probe[0], count: 0, now: start.addingTimeInterval(10))
        #expect(lanes.quotas(now: start.addingTimeInterval(11)).first == .init(lane: 0, limit: 1, isProbe: true))
    }

    @Test(
        "A retryable failure waits the backoff, never past the horizon; at its end, or when permanent, it is given up")
    func decisions() {
        let backoff = Backoff(base: .seconds(2), cap: .seconds(300))
        var message = OutgoingMessage(
            id: "n-1", channel: "webhook", agency: .af, handlaggareId: "hl-1", contactChannel: "c", isDigest: false,
            notifications: [], times: [], sources: [], attempt: 3, pendingSince: start, lastResult: nil, replays: 0)
        let horizon = Duration.seconds(3600)
        func decide(_ result: DeliveryResult, at seconds: TimeInterval, jitter: Double = 1) -> DeliveryDecision {
            DeliveryDecision(
                after: result, of: message, horizon: horizon, backoff: backoff, now: start.addingTimeInterval(seconds),
                jitter: jitter)
        }
        #expect(decide(.http(204), at: 10) == .delivered)
        #expect(decide(.http(503), at: 10) == .retry(at: start.addingTimeInterval(18)), "2 s · 2² at full jitter")
        #expect(decide(.http(503), at: 10, jitter: 0.5) == .retry(at: start.addingTimeInterval(14)), "half of it")
        message.attempt = 12
        #expect(decide(.timeout, at: 100) == .retry(at: start.addingTimeInterval(400)), "capped at 5 minutes")
        #expect(decide(.timeout, at: 3500) == .retry(at: start.addingTimeInterval(3600)), "the last at the horizon")
        #expect(
            decide(.timeout, at: 3600)
                == .deadLetter(
                    reason: "webhook delivery not completed within its horizon of 1 h (12 attempt(s)): timeout"))
        #expect(decide(.http(429), at: 10) != .deadLetter(reason: ""), "429 is retried")
        #expect(decide(.http(404), at: 10) == .deadLetter(reason: "webhook delivery refused: http 404 (attempt 12)"))
        #expect(decide(.http(408), at: 10) == .retry(at: start.addingTimeInterval(310)))
    }
}
