import Foundation
import MIAContracts

extension NotificationRouting {
    /// The environment variable that names the channel file.
    public static let environmentVariable = "MIA_NOTIFIER_CHANNELS"

    /// The routing a channel file describes (see the `notifier/README.md` for its format).
    ///
    /// Webhook secrets are never in the file: an entry names an environment variable (`secretEnv`) or a file
    /// (`secretFile`, trailing line breaks ignored) that holds it.
    /// - Parameters:
    ///   - path: The channel file.
    ///   - environment: The process environment, for `secretEnv`.
    /// - Throws: ``NotifierError``: `channelsUnreadable` when the file cannot be read or is not JSON,
    ///   `channelsInvalid` for an unknown agency, channel, member or placeholder, or a value out of range,
    ///   `insecureChannel` for `http://` or SMTP off this machine, `secretMissing` for a webhook without a usable
    ///   secret. The message names the file, the entry and the member.
    public static func load(
        file path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(NotifierError) -> NotificationRouting {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NotifierError(.channelsUnreadable, "cannot read the channel file \(path)")
        }
        guard (try? JSONSerialization.jsonObject(with: data)) != nil else {
            throw NotifierError(.channelsUnreadable, "\(path) is not JSON")
        }
        let file: ChannelFile
        do {
            file = try JSONDecoder().decode(ChannelFile.self, from: data)
        } catch let error as DecodingError {
            throw NotifierError(.channelsInvalid, "\(path): \(Self.describe(error))")
        } catch {
            throw NotifierError(.channelsInvalid, "\(path): \(error)")
        }
        var routing = NotificationRouting()
        if let fallback = file.fallback {
            routing.defaultChannel = try channel(fallback, at: "\(path): default", environment: environment)
        }
        for (code, entry) in file.agencies.sorted(by: { $0.key < $1.key }) {
            guard let agency = Agency(rawValue: code) else {
                let known = Agency.allCases.map(\.rawValue).joined(separator: ", ")
                throw NotifierError(.channelsInvalid, "\(path): unknown agency \"\(code)\"; use \(known)")
            }
            routing.agencyChannels[agency] = try channel(
                entry, at: "\(path): agencies.\(code)", environment: environment)
        }
        return routing
    }

    private static func channel(
        _ entry: ChannelFile.Entry, at place: String, environment: [String: String]
    ) throws(NotifierError) -> NotificationChannel {
        do throws(NotifierError) {
            switch entry.channel {
            case "webhook":
                guard let text = entry.url else {
                    throw NotifierError(.channelsInvalid, "url: missing; a webhook needs one")
                }
                guard let url = URL(string: text) else {
                    throw NotifierError(.channelsInvalid, "url: \(text) is not a URL")
                }
                return .webhook(
                    try WebhookSettings(
                        url: url, secret: try secret(entry, environment: environment),
                        horizon: try horizon(entry), timeout: try timeout(entry, default: 10),
                        concurrency: entry.concurrency ?? 4))
            case "email":
                guard let host = entry.host else {
                    throw NotifierError(.channelsInvalid, "host: missing; an e-mail channel needs its SMTP relay")
                }
                guard let from = entry.from else {
                    throw NotifierError(.channelsInvalid, "from: missing; an e-mail channel needs a sender address")
                }
                return .email(
                    try EmailSettings(
                        host: host, port: entry.port ?? 25, from: from, addresses: entry.addresses ?? [:],
                        recipientTemplate: entry.to, horizon: try horizon(entry),
                        timeout: try timeout(entry, default: 30), concurrency: entry.concurrency ?? 2))
            default:
                return .topic
            }
        } catch {
            throw NotifierError(error.code, "\(place): \(error.message)")
        }
    }

    /// `horizonHours` as a duration: 24 hours when not given.
    private static func horizon(_ entry: ChannelFile.Entry) throws(NotifierError) -> Duration {
        let hours = entry.horizonHours ?? 24
        guard hours > 0, hours <= 24 * 30 else {
            throw NotifierError(.channelsInvalid, "horizonHours: \(hours) is not between 0 and 720 hours")
        }
        return .milliseconds(Int64((hours * 3_600_000).rounded()))
    }

    /// `timeoutSeconds` as a duration.
    private static func timeout(_ entry: ChannelFile.Entry, default seconds: Double) throws(NotifierError) -> Duration {
        let value = entry.timeoutSeconds ?? seconds
        guard value > 0, value <= 600 else {
            throw NotifierError(.channelsInvalid, "timeoutSeconds: \(value) is not between 0 and 600 seconds")
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    private static func secret(_ entry: ChannelFile.Entry, environment: [String: String]) throws(NotifierError)
        -> [UInt8]
    {
        switch (entry.secretEnv, entry.secretFile) {
        case (let variable?, nil):
            guard let value = environment[variable], !value.isEmpty else {
                throw NotifierError(.secretMissing, "the environment variable \(variable) (secretEnv) is not set")
            }
            return Array(value.utf8)
        case (nil, let file?):
            guard let data = FileManager.default.contents(atPath: file) else {
                throw NotifierError(.secretMissing, "cannot read the secret file \(file) (secretFile)")
            }
            return Array(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines).utf8)
        case (nil, nil):
            throw NotifierError(.secretMissing, "a webhook needs secretEnv or secretFile")
        case (_?, _?):
            throw NotifierError(.channelsInvalid, "give secretEnv or secretFile, not both")
        }
    }

    /// A decoding error as the path of the member concerned and what is wrong with it.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map(\.stringValue)
            return names.isEmpty ? "" : names.joined(separator: ".") + ": "
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context))expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context))expected \(type), found null"
        case .keyNotFound(let key, let context): return "\(path(context))missing member \"\(key.stringValue)\""
        case .dataCorrupted(let context): return "\(path(context))\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
