import FlyingFox
import FlyingSocks
import Foundation
import Logging
import ServiceLifecycle

/// `/healthz`, `/readyz` and `/metrics` on a TCP port, as a service that stops on graceful shutdown.
public struct WorkerHTTPServer: Service {
    let port: UInt16
    let health: HealthState
    let metrics: WorkerMetrics
    let logger: Logger

    public init(port: UInt16, health: HealthState, metrics: WorkerMetrics, logger: Logger) {
        self.port = port
        self.health = health
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        let server = HTTPServer(port: port, logger: .disabled)
        let health = self.health
        let metrics = self.metrics
        await server.appendRoute("GET /healthz") { _ in
            health.isAlive
                ? HTTPResponse(statusCode: .ok, body: Data("ok\n".utf8))
                : HTTPResponse(statusCode: .serviceUnavailable, body: Data("stalled\n".utf8))
        }
        await server.appendRoute("GET /readyz") { _ in
            let (ready, reason) = health.readiness
            return HTTPResponse(statusCode: ready ? .ok : .serviceUnavailable, body: Data((reason + "\n").utf8))
        }
        await server.appendRoute("GET /metrics") { _ in
            HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Data(metrics.render().utf8))
        }
        logger.info("serving /healthz, /readyz and /metrics", metadata: ["port": "\(port)"])
        do {
            try await withGracefulShutdownHandler {
                try await server.run()
            } onGracefulShutdown: {
                Task { await server.stop(timeout: 1) }
            }
        } catch  where Task.isShuttingDownGracefully || Task.isCancelled || error is CancellationError {
            // Stopping the server ends `run()` with an error; on shutdown that is the expected way out.
        }
    }
}
