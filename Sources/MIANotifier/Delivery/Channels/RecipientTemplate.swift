/// An e-mail address with placeholders, `{contactChannel}@kommun.example`: the address of a handläggare whose
/// contact-channel reference is not in the channel's `addresses`.
///
/// Only ``placeholders`` are known; anything else in braces (`{contactchannel}`, `{handlaggare}`) or a lone brace is
/// refused when the template is made, so that a typing error stops the worker at start-up instead of sending mail to
/// a literal address.
struct RecipientTemplate: Sendable, Hashable {
    /// The placeholders a template may use.
    static let placeholders = ["contactChannel", "handlaggareId"]

    private enum Piece: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    private let pieces: [Piece]
    /// The template as written.
    let text: String

    /// Parses a template.
    /// - Throws: ``NotifierError`` `channelsInvalid` naming the `to` member and the unknown placeholder, or a brace
    ///   without its partner.
    init(_ text: String) throws(NotifierError) {
        var pieces: [Piece] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{" else {
                throw NotifierError(.channelsInvalid, "to: \"\(text)\" has a } without its {")
            }
            if open > rest.startIndex { pieces.append(.text(String(rest[..<open]))) }
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}"
            else {
                throw NotifierError(.channelsInvalid, "to: \"\(text)\" has a { without its }")
            }
            let name = String(rest[afterOpen..<close])
            guard Self.placeholders.contains(name) else {
                let known = Self.placeholders.map { "{\($0)}" }.joined(separator: " or ")
                throw NotifierError(.channelsInvalid, "to: unknown placeholder {\(name)} in \"\(text)\"; use \(known)")
            }
            pieces.append(.placeholder(name))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { pieces.append(.text(String(rest))) }
        self.pieces = pieces
        self.text = text
        guard EmailAddress.isValid(address(contactChannel: "c", handlaggareId: "h")) else {
            throw NotifierError(.channelsInvalid, "to: \"\(text)\" does not give an address such as name@example.org")
        }
    }

    /// The address for one handläggare (not checked: see ``EmailAddress``).
    func address(contactChannel: String, handlaggareId: String) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .placeholder("contactChannel"): contactChannel
            case .placeholder: handlaggareId
            }
        }.joined()
    }
}
