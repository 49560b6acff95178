import Foundation
import MIAWorkerRuntime

/// What becomes of a message after an attempt: delivered, tried again later, or dead-lettered. A pure function of
/// the result, the message, its channel's horizon, the backoff and the time.
///
/// A retryable failure is tried again after the backoff's wait (see ``NotificationDeliveryConfiguration/backoff``),
/// but never later than the horizon's end, so the last attempt is made when the horizon ends; a retryable failure
/// at or after that end, or a permanent one at any time, dead-letters the message.
enum DeliveryDecision: Sendable, Hashable {
    case delivered
    case retry(at: Date)
    case deadLetter(reason: String)

    /// The decision after an attempt.
    /// - Parameters:
    ///   - result: The attempt's result.
    ///   - message: The message, with its attempt number and since when it is pending.
    ///   - horizon: The channel's horizon.
    ///   - backoff: The waits between attempts.
    ///   - now: The time the attempt ended.
    ///   - jitter: The backoff's jitter, from half to all of the wait; random unless a test fixes it.
    init(
        after result: DeliveryResult, of message: OutgoingMessage, horizon: Duration, backoff: Backoff, now: Date,
        jitter: Double = Double.random(in: 0.5...1)
    ) {
        if result.isDelivered {
            self = .delivered
            return
        }
        guard result.isRetryable else {
            self = .deadLetter(
                reason: "\(message.channel) delivery refused: \(result.detail) (attempt \(message.attempt))")
            return
        }
        let end = message.pendingSince.addingTimeInterval(horizon.timeInterval)
        guard now < end else {
            self = .deadLetter(
                reason: Self.horizonPassed(
                    channel: message.channel, attempts: message.attempt, horizon: horizon, last: result.detail))
            return
        }
        let wait = backoff.delay(attempt: message.attempt, jitter: jitter)
        self = .retry(at: min(now.addingTimeInterval(wait.timeInterval), end))
    }

    /// The reason of a message dead-lettered because its horizon passed.
    static func horizonPassed(channel: String, attempts: Int, horizon: Duration, last: String?) -> String {
        "\(channel) delivery not completed within its horizon of \(Self.text(horizon)) (\(attempts) attempt(s)): "
            + (last ?? "no attempt")
    }

    /// `24 h`, `90 min`, `45 s`, `300 ms`.
    static func text(_ duration: Duration) -> String {
        guard duration >= .seconds(1) else { return "\(duration.milliseconds) ms" }
        let seconds = Int(duration.timeInterval.rounded())
        if seconds >= 3600 && seconds % 3600 == 0 { return "\(seconds / 3600) h" }
        if seconds >= 60 && seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
