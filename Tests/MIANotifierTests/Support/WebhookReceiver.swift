import FlyingFox
import FlyingSocks
import Foundation
import MIANotifier
import Synchronization

/// A webhook receiver on 127.0.0.1 that checks every request's signature with ``WebhookSignature`` and answers
/// with scripted statuses: the ones given first, in order, then `otherwise` (which ``answer(_:)`` changes). A
/// request with a bad signature gets 401 and does not consume the script; a 3xx answer redirects to the same
/// endpoint. ``refuseConnections()`` stops listening and ``listenAgain()`` listens again on the same port.
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Request: Sendable {
        var notificationId: String?
        var attempt: Int?
        var type: String?
        var body: Data
        var rejection: WebhookVerificationError?
        var status: Int
    }

    let secret: [UInt8]
    let url: URL
    private let port: UInt16
    private let state: Log
    private let running: Mutex<(server: HTTPServer, task: Task<Void, any Error>)?>

    /// The script and the requests, shared with the route handler.
    private final class Log: Sendable {
        let lock: Mutex<(script: [Int], otherwise: Int, requests: [Request])>
        init(script: [Int], otherwise: Int) { lock = Mutex((script, otherwise, [])) }
    }

    init(secret: [UInt8], answering script: [Int] = [], otherwise: Int = 200) async throws {
        self.secret = secret
        let state = Log(script: script, otherwise: otherwise)
        self.state = state
        let server = try await Self.listen(port: 0, secret: secret, state: state)
        guard case .ip4(_, let port) = await server.server.listeningAddress else { throw CancellationError() }
        self.port = port
        running = Mutex(server)
        url = URL(string: "http://127.0.0.1:\(port)/inbox")!
    }

    /// Every request so far, in arrival order.
    var requests: [Request] { state.lock.withLock { $0.requests } }

    /// The requests answered with a 2xx status.
    var accepted: [Request] { requests.filter { (200..<300).contains($0.status) } }

    /// Answers `status` from now on, once the script is used up.
    func answer(_ status: Int) { state.lock.withLock { $0.otherwise = status } }

    /// Stops listening: connections are refused until ``listenAgain()``.
    func refuseConnections() async {
        guard
            let server = running.withLock({ running in
                defer { running = nil }; return running
            })
        else { return }
        await server.server.stop(timeout: 1)
        server.task.cancel()
    }

    /// Listens again on the same port.
    func listenAgain() async throws {
        let server = try await Self.listen(port: port, secret: secret, state: state)
        running.withLock { $0 = server }
    }

    func stop() async { await refuseConnections() }

    private static func listen(
        port: UInt16, secret: [UInt8], state: Log
    ) async throws -> (server: HTTPServer, task: Task<Void, any Error>) {
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), timeout: 5, logger: .disabled)
        await server.appendRoute("POST /inbox") { (request: HTTPRequest) async throws -> HTTPResponse in
            let body = try await request.bodyData
            var received = Request(
                notificationId: request.headers[HTTPHeader(WebhookSignature.notificationIdHeader)],
                attempt: request.headers[HTTPHeader("X-MIA-Delivery-Attempt")].flatMap { Int($0) },
                type: request.headers[HTTPHeader("X-MIA-Delivery-Type")], body: body, status: 401)
            do {
                try WebhookSignature.verify(
                    body: body, timestamp: request.headers[HTTPHeader(WebhookSignature.timestampHeader)],
                    signature: request.headers[HTTPHeader(WebhookSignature.signatureHeader)], secret: secret)
                received.status = state.lock.withLock { state in
                    state.script.isEmpty ? state.otherwise : state.script.removeFirst()
                }
            } catch {
                received.rejection = error as? WebhookVerificationError
            }
            state.lock.withLock { $0.requests.append(received) }
            // A redirect points back at this receiver, so that following it would show as a second request.
            let headers: HTTPHeaders = (300..<400).contains(received.status) ? [.location: "/inbox"] : [:]
            return HTTPResponse(statusCode: HTTPStatusCode(received.status, phrase: "scripted"), headers: headers)
        }
        let task = Task { try await server.run() }
        try await server.waitUntilListening()
        return (server, task)
    }
}
