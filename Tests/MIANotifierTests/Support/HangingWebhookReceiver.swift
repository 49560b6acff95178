import FlyingFox
import FlyingSocks
import Foundation
import MIANotifier
import Synchronization

/// A webhook endpoint on 127.0.0.1 that holds every request without answering until ``release()``, then answers 200
/// to those held and every later one: an agency endpoint that hangs.
final class HangingWebhookReceiver: Sendable {
    private struct State {
        var inFlight = 0
        var mostInFlight = 0
        var released = false
        var held: [CheckedContinuation<Void, Never>] = []
        var accepted: [String] = []
    }

    let url: URL
    private let server: HTTPServer
    private let task: Task<Void, any Error>
    private let state: Shared

    private final class Shared: Sendable {
        let lock = Mutex(State())
    }

    init() async throws {
        let state = Shared()
        self.state = state
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: 0), timeout: 300, logger: .disabled)
        await server.appendRoute("POST /inbox") { (request: HTTPRequest) async throws -> HTTPResponse in
            _ = try await request.bodyData
            let id = request.headers[HTTPHeader(WebhookSignature.notificationIdHeader)] ?? ""
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let hold = state.lock.withLock { state -> Bool in
                    state.inFlight += 1
                    state.mostInFlight = max(state.mostInFlight, state.inFlight)
                    if !state.released { state.held.append(continuation) }
                    return !state.released
                }
                if !hold { continuation.resume() }
            }
            state.lock.withLock { state in
                state.inFlight -= 1
                state.accepted.append(id)
            }
            return HTTPResponse(statusCode: .ok)
        }
        self.server = server
        task = Task { try await server.run() }
        try await server.waitUntilListening()
        guard case .ip4(_, let port) = await server.listeningAddress else { throw CancellationError() }
        url = URL(string: "http://127.0.0.1:\(port)/inbox")!
    }

    /// Requests received and not answered yet.
    var inFlight: Int { state.lock.withLock { $0.inFlight } }
    /// The most requests held at once.
    var mostInFlight: Int { state.lock.withLock { $0.mostInFlight } }
    /// The notification ids answered 200, in order.
    var accepted: [String] { state.lock.withLock { $0.accepted } }

    /// Answers every held request, and every later one at once.
    func release() {
        let held = state.lock.withLock { state in
            state.released = true
            defer { state.held = [] }
            return state.held
        }
        for continuation in held { continuation.resume() }
    }

    func stop() async {
        release()
        await server.stop(timeout: 1)
        task.cancel()
    }
}
