/// An agency input record as an ordered JSON object, written with its keys in the order they were set so
/// that the output is byte-identical from run to run.
struct InputRecordObject {
    /// A JSON value of an input record.
    enum Value {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case object(InputRecordObject)
        case strings([String])
    }

    private var fields: [(key: String, value: Value)] = []

    /// The value of a key, or `nil`.
    subscript(key: String) -> Value? {
        get { fields.first { $0.key == key }?.value }
        set {
            let index = fields.firstIndex { $0.key == key }
            switch (index, newValue) {
            case (let index?, let value?): fields[index].value = value
            case (let index?, nil): fields.remove(at: index)
            case (nil, let value?): fields.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// The string value of a key, or `nil` when absent or not a string.
    func string(_ key: String) -> String? {
        if case .string(let value)? = self[key] { return value }
        return nil
    }

    /// The object as one line of compact JSON.
    var jsonText: String {
        var text = ""
        write(to: &text)
        return text
    }

    private func write(to text: inout String) {
        text += "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { text += "," }
            Self.write(field.key, to: &text)
            text += ":"
            switch field.value {
            case .string(let value): Self.write(value, to: &text)
            case .integer(let value): text += String(value)
            case .bool(let value): text += value ? "true" : "false"
            case .object(let value): value.write(to: &text)
            case .strings(let values):
                text += "["
                for (position, value) in values.enumerated() {
                    if position > 0 { text += "," }
                    Self.write(value, to: &text)
                }
                text += "]"
            }
        }
        text += "}"
    }

    /// Writes a JSON string literal, escaping quotes, backslashes and control characters.
    private static func write(_ string: String, to text: inout String) {
        text += "\""
        defer { text += "\"" }
        guard string.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            text += string
            return
        }
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
    }
}
