import FlyingSocks
import Foundation

/// Sends one message per connection to an SMTP relay on this machine: `EHLO`, `MAIL FROM`, `RCPT TO`, `DATA`,
/// `QUIT` (RFC 5321), in plain text.
///
/// STARTTLS and authentication are out of scope: the relay is on a loopback address (see ``EmailSettings``) and
/// forwards with TLS. A 4xx reply, a timeout or a lost connection may pass on a later attempt; a 5xx reply will
/// not.
struct SMTPClient: Sendable {
    /// The name this host gives in `EHLO`.
    var clientName = "mia-notifier.localhost"

    /// Makes one attempt to hand a message to the relay.
    /// - Parameters:
    ///   - message: The MIME message with CRLF line endings.
    ///   - from: The envelope sender.
    ///   - to: The envelope recipient.
    ///   - settings: The relay and the attempt's time limit.
    func send(_ message: String, from: String, to: String, settings: EmailSettings) async -> DeliveryResult {
        let clientName = self.clientName
        return await Deadline.run(settings.timeout, orElse: .timeout) {
            let socket: AsyncSocket
            do {
                socket = try await Self.connect(settings)
            } catch {
                return .connectionFailed("\(error)")
            }
            defer { try? socket.close() }
            var conversation = Conversation(socket: socket)
            do {
                try await conversation.expect(220, after: nil)
                try await conversation.expect(250, after: "EHLO \(clientName)")
                try await conversation.expect(250, after: "MAIL FROM:<\(from)>")
                try await conversation.expect(250, after: "RCPT TO:<\(to)>")
                try await conversation.expect(354, after: "DATA")
                let reply = try await conversation.expect(250, after: Self.dotStuffed(message) + ".")
                _ = try? await conversation.expect(221, after: "QUIT")
                return .delivered("smtp \(reply)")
            } catch let rejection as Rejection {
                _ = try? await conversation.expect(221, after: "QUIT")
                return rejection.code >= 500
                    ? .permanent("smtp \(rejection.code)", reason: "smtp_5xx")
                    : .retryable("smtp \(rejection.code)", reason: "smtp_4xx")
            } catch {
                return .connectionFailed("\(error)")
            }
        }
    }

    private static func connect(_ settings: EmailSettings) async throws -> AsyncSocket {
        let port = UInt16(settings.port)
        let host = settings.host.lowercased().trimmingCharacters(in: ["[", "]"])
        if host.contains(":") {
            return try await AsyncSocket.connected(to: .inet6(ip6: host, port: port))
        }
        return try await AsyncSocket.connected(to: .inet(ip4: host == "localhost" ? "127.0.0.1" : host, port: port))
    }

    /// The message with every line that starts with `.` given a second one (RFC 5321 §4.5.2).
    private static func dotStuffed(_ message: String) -> String {
        message.split(separator: "\r\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(".") ? "." + line : String(line)
        }.joined(separator: "\r\n")
    }

    /// A reply with an unexpected code.
    private struct Rejection: Error {
        var code: Int
    }

    /// The command-reply exchange over one connection.
    private struct Conversation {
        let socket: AsyncSocket
        private var buffer: [UInt8] = []

        init(socket: AsyncSocket) { self.socket = socket }

        /// Sends `command` (when given) and reads the reply, which must have the code `expected`.
        /// - Returns: The reply code.
        @discardableResult
        mutating func expect(_ expected: Int, after command: String?) async throws -> Int {
            if let command { try await socket.write(Data((command + "\r\n").utf8)) }
            let code = try await readReply()
            guard code == expected else { throw Rejection(code: code) }
            return code
        }

        /// Reads a possibly multi-line reply (`250-…` lines, then `250 …`) and returns its code.
        private mutating func readReply() async throws -> Int {
            while true {
                let line = try await readLine()
                guard line.count >= 3, let code = Int(line.prefix(3)) else { throw Rejection(code: 0) }
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" { return code }
            }
        }

        private mutating func readLine() async throws -> String {
            while true {
                if let end = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[..<end]
                    buffer.removeSubrange(...end)
                    return String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
                }
                guard buffer.count < 4096 else { throw Rejection(code: 0) }
                buffer += try await socket.read(atMost: 1024)
            }
        }
    }
}
