import Foundation

/// The JSON channel file, as written: a `default` channel and one entry per agency code, each a flat object whose
/// `channel` member says which other members it takes. Unknown members are errors, so a misspelt setting is
/// caught at start-up rather than silently ignored.
struct ChannelFile: Decodable {
    /// The channel of agencies without an entry.
    var fallback: Entry?
    /// Entries by agency code (`AF`, `FK`, `kommun`, `region`).
    var agencies: [String: Entry]

    /// One channel, as written.
    struct Entry: Decodable {
        var channel: String
        var url: String?
        var secretEnv: String?
        var secretFile: String?
        var horizonHours: Double?
        var timeoutSeconds: Double?
        var concurrency: Int?
        var host: String?
        var port: Int?
        var from: String?
        var addresses: [String: String]?
        var to: String?

        /// The members each channel takes.
        static let members: [String: Set<String>] = [
            "topic": ["channel"],
            "webhook": ["channel", "url", "secretEnv", "secretFile", "horizonHours", "timeoutSeconds", "concurrency"],
            "email": [
                "channel", "host", "port", "from", "addresses", "to", "horizonHours", "timeoutSeconds", "concurrency",
            ],
        ]

        /// Members of earlier versions, with what replaced them.
        static let retired = [
            "maxAttempts":
                "maxAttempts is no longer read: a notification is retried until its horizonHours (default 24) pass; remove it"
        ]

        private enum CodingKeys: String, CodingKey {
            case channel, url, secretEnv, secretFile, horizonHours, timeoutSeconds, concurrency, host, port, from
            case addresses, to
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            channel = try container.decode(String.self, forKey: .channel)
            guard let allowed = Self.members[channel] else {
                throw DecodingError.dataCorruptedError(
                    forKey: .channel, in: container,
                    debugDescription: "unknown channel \"\(channel)\"; use topic, webhook or email")
            }
            let written = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            if let stray = written.sorted().first(where: { !allowed.contains($0) }) {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: Self.retired[stray] ?? "\(channel) takes no member \"\(stray)\""))
            }
            url = try container.decodeIfPresent(String.self, forKey: .url)
            secretEnv = try container.decodeIfPresent(String.self, forKey: .secretEnv)
            secretFile = try container.decodeIfPresent(String.self, forKey: .secretFile)
            horizonHours = try container.decodeIfPresent(Double.self, forKey: .horizonHours)
            timeoutSeconds = try container.decodeIfPresent(Double.self, forKey: .timeoutSeconds)
            concurrency = try container.decodeIfPresent(Int.self, forKey: .concurrency)
            host = try container.decodeIfPresent(String.self, forKey: .host)
            port = try container.decodeIfPresent(Int.self, forKey: .port)
            from = try container.decodeIfPresent(String.self, forKey: .from)
            addresses = try container.decodeIfPresent([String: String].self, forKey: .addresses)
            to = try container.decodeIfPresent(String.self, forKey: .to)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case fallback = "default"
        case agencies
    }

    init(from decoder: any Decoder) throws {
        let written = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
        if let stray = written.first(where: { CodingKeys(rawValue: $0) == nil }) {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "unknown member \"\(stray)\"; use default and agencies"))
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        fallback = try container.decodeIfPresent(Entry.self, forKey: .fallback)
        agencies = try container.decodeIfPresent([String: Entry].self, forKey: .agencies) ?? [:]
    }

    /// Any member name, to find the ones not expected.
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
