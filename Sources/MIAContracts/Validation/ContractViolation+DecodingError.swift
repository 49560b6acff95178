extension ContractViolation {
    /// Translates a `DecodingError` into a field-level violation.
    ///
    /// The coding path becomes the dotted ``field`` path; array indices appear as numbers. The
    /// underlying error's debug description is not used, because Foundation may quote input values.
    /// - Parameters:
    ///   - error: The error thrown by `JSONDecoder`.
    ///   - prefix: A path to put in front of the coding path, or `nil` for none.
    init(_ error: DecodingError, under prefix: String? = nil) {
        func path(_ keys: [any CodingKey]) -> String? {
            let parts = (prefix.map { [$0] } ?? []) + keys.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return parts.isEmpty ? nil : parts.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(.missingField, field: path(context.codingPath + [key]), "required field is missing")
        case .typeMismatch(let type, let context):
            self.init(.wrongType, field: path(context.codingPath), "expected \(Self.jsonTypeName(of: type))")
        case .valueNotFound(let type, let context):
            self.init(
                .wrongType, field: path(context.codingPath), "null where \(Self.jsonTypeName(of: type)) is required")
        case .dataCorrupted(let context) where context.codingPath.isEmpty && prefix == nil:
            self.init(.malformedJSON, field: nil, "not valid JSON")
        case .dataCorrupted(let context):
            self.init(.invalidValue, field: path(context.codingPath), Self.invalidValueMessage(context))
        @unknown default:
            self.init(.malformedJSON, field: prefix, "unreadable")
        }
    }

    /// The JSON name of the type a decoder expected.
    private static func jsonTypeName(of type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is String.Type: "a string"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a value of the contract's type"
        }
    }

    /// The message for a value that has the right JSON type but is not acceptable.
    ///
    /// Our own value types (``CalendarDate``, timestamps) throw messages without values; Foundation's
    /// messages for enums quote the value, so those are replaced by a generic text.
    private static func invalidValueMessage(_ context: DecodingError.Context) -> String {
        context.debugDescription.hasPrefix(contractMessagePrefix)
            ? String(context.debugDescription.dropFirst(contractMessagePrefix.count))
            : "value is not one of the allowed values"
    }

    /// Marks `dataCorrupted` messages thrown by MIAContracts' own decoders, which are safe to show.
    static let contractMessagePrefix = "mia: "
}
