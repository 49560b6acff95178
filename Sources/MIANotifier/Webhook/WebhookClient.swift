import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Posts messages to one webhook destination: one signed `POST` per attempt, on a `URLSession` of its own that keeps
/// no cookies or cache, never follows a redirect (a redirect is a permanent failure, so a request cannot be led off
/// to plain HTTP) and opens at most the destination's concurrency of connections, so that a hanging endpoint ties up
/// only its own connections.
///
/// Request headers: `Content-Type: application/json`, ``WebhookSignature/notificationIdHeader``,
/// ``WebhookSignature/timestampHeader``, ``WebhookSignature/signatureHeader``, `X-MIA-Delivery-Type`
/// (`notification` or `digest`) and `X-MIA-Delivery-Attempt` (1, 2, …). A 2xx answer delivers the message;
/// 408, 429, 5xx, a timeout or a connection failure may pass on a later attempt; any other status will not.
struct WebhookClient: Sendable {
    private let session: URLSession

    /// - Parameter connections: The most connections to the endpoint at once.
    init(connections: Int = 4) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, connections)
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: RefusingRedirects(), delegateQueue: nil)
    }

    /// Makes one attempt to deliver `message`.
    /// - Parameters:
    ///   - message: The message and its attempt number.
    ///   - settings: The webhook's URL, secret and timeout.
    ///   - now: The time to sign the request with.
    func post(_ message: OutgoingMessage, to settings: WebhookSettings, now: Date) async -> DeliveryResult {
        let body: Data
        do {
            body = try WebhookBody(message).encoded()
        } catch {
            return .permanent("cannot encode the body: \(error)", reason: "invalid")
        }
        let timestamp = Int64(now.timeIntervalSince1970)
        let seconds =
            Double(settings.timeout.components.seconds) + Double(settings.timeout.components.attoseconds) / 1e18
        var request = URLRequest(
            url: settings.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: seconds)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("mia-notifier", forHTTPHeaderField: "User-Agent")
        request.setValue(message.id, forHTTPHeaderField: WebhookSignature.notificationIdHeader)
        request.setValue(String(timestamp), forHTTPHeaderField: WebhookSignature.timestampHeader)
        request.setValue(
            WebhookSignature.sign(body: body, timestamp: timestamp, secret: settings.secret),
            forHTTPHeaderField: WebhookSignature.signatureHeader)
        request.setValue(message.isDigest ? "digest" : "notification", forHTTPHeaderField: "X-MIA-Delivery-Type")
        request.setValue(String(message.attempt), forHTTPHeaderField: "X-MIA-Delivery-Attempt")
        // URLSession enforces the timeout; the deadline is a backstop against a task that never completes.
        return await Deadline.run(settings.timeout + .seconds(2), orElse: .timeout) { [request] in
            await send(request)
        }
    }

    private func send(_ request: URLRequest) async -> DeliveryResult {
        let running = Mutex<URLSessionDataTask?>(nil)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<DeliveryResult, Never>) in
                let task = session.dataTask(with: request) { _, response, error in
                    continuation.resume(returning: Self.classify(response, error))
                }
                running.withLock { $0 = task }
                task.resume()
            }
        } onCancel: {
            running.withLock { $0?.cancel() }
        }
    }

    private static func classify(_ response: URLResponse?, _ error: (any Error)?) -> DeliveryResult {
        if let error = error as? URLError {
            switch error.code {
            case .timedOut, .cancelled: return .timeout
            default: return .connectionFailed("URLError \(error.code.rawValue)")
            }
        }
        if let error { return .connectionFailed("\(error)") }
        guard let status = (response as? HTTPURLResponse)?.statusCode else {
            return .connectionFailed("no HTTP response")
        }
        return .http(status)
    }
}

/// Answers every redirect with "do not follow", so the redirect itself becomes the response.
private final class RefusingRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
