import FlyingSocks
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal SMTP server on 127.0.0.1 for tests: it answers `EHLO`, `MAIL`, `RCPT`, `DATA` and `QUIT`, keeps
/// each accepted message, and ends `DATA` with the scripted replies first (for example `451`), then `250`.
final class SMTPReceiver: Sendable {
    /// One conversation's envelope and message.
    struct Mail: Sendable {
        var from: String
        var to: String
        var data: String
        var reply: Int
    }

    let port: Int
    private let listener: AsyncSocket
    private let task: Task<Void, any Error>
    private let poolTask: Task<Void, any Error>
    private let log: Log

    private final class Log: Sendable {
        let lock: Mutex<(script: [Int], mails: [Mail])>
        init(script: [Int]) { lock = Mutex((script, [])) }
    }

    init(endingDataWith script: [Int] = []) async throws {
        let socket = try Socket(domain: AF_INET, type: .stream)
        try socket.setValue(true, for: .localAddressReuse)
        try socket.bind(to: .inet(ip4: "127.0.0.1", port: 0))
        try socket.listen()
        guard case .ip4(_, let port) = try socket.sockname() else { throw CancellationError() }
        self.port = Int(port)
        // A pool of its own, apart from the one the client under test uses.
        let pool: some AsyncSocketPool = .make()
        try await pool.prepare()
        poolTask = Task { try await pool.run() }
        let listener = try AsyncSocket(socket: socket, pool: pool)
        self.listener = listener
        let log = Log(script: script)
        self.log = log
        task = Task {
            while !Task.isCancelled {
                let connection = try await listener.accept()
                Task { try? await Self.converse(on: connection, log: log) }
            }
        }
    }

    /// Every message whose `DATA` was received, in order, with the reply it got.
    var mails: [Mail] { log.lock.withLock { $0.mails } }

    func stop() {
        task.cancel()
        try? listener.close()
        poolTask.cancel()
    }

    private static func converse(on connection: AsyncSocket, log: Log) async throws {
        defer { try? connection.close() }
        var reader = LineReader(socket: connection)
        func reply(_ text: String) async throws { try await connection.write(Data((text + "\r\n").utf8)) }
        try await reply("220 test.localhost ESMTP")
        var from = "", to = ""
        while let line = try await reader.line() {
            switch line.prefix(4).uppercased() {
            case "EHLO": try await reply("250-test.localhost\r\n250 8BITMIME")
            case "MAIL": from = Self.address(line); try await reply("250 ok")
            case "RCPT": to = Self.address(line); try await reply("250 ok")
            case "DATA":
                try await reply("354 go ahead")
                var lines: [String] = []
                while let dataLine = try await reader.line(), dataLine != "." { lines.append(dataLine) }
                let code = log.lock.withLock { state in state.script.isEmpty ? 250 : state.script.removeFirst() }
                log.lock.withLock {
                    $0.mails.append(Mail(from: from, to: to, data: lines.joined(separator: "\r\n"), reply: code))
                }
                try await reply("\(code) \(code == 250 ? "queued" : "refused")")
            case "QUIT":
                try await reply("221 bye")
                return
            default: try await reply("500 unknown command")
            }
        }
    }

    private static func address(_ line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">") else { return "" }
        return String(line[line.index(after: open)..<close])
    }

    /// CRLF-terminated lines from a socket.
    private struct LineReader {
        let socket: AsyncSocket
        var buffer: [UInt8] = []

        mutating func line() async throws -> String? {
            while true {
                if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[..<end]
                    buffer.removeSubrange(...end)
                    return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
                }
                let bytes = try await socket.read(atMost: 4096)
                guard !bytes.isEmpty else { return nil }
                buffer += bytes
            }
        }
    }
}
