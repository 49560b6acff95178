import Foundation

/// Writes an `Encodable` value as compact JSON with keys in byte order and RFC 3339 dates: the same bytes as
/// `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` and ``RFC3339/encodingStrategy``, at a fraction of
/// its cost for the contract's types (strings, integers, booleans, dates, arrays and nested objects).
///
/// Every output event of every worker goes through it, inside the store transaction. A `Double` is written as
/// `JSONEncoder` writes it (its description without a trailing `.0`); a value with a `Float` or a non-finite
/// number is written by `JSONEncoder` itself.
struct SortedJSONEncoder {
    /// The JSON bytes of `value`.
    func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let encoder = TreeEncoder(codingPath: [])
        do {
            try value.encode(to: encoder)
        } catch is FloatingPointValue {
            return Array(try EventEncoder.jsonEncoder().encode(value))
        }
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        (encoder.node ?? .object(ObjectNode())).write(to: &output)
        return output
    }
}

/// Thrown for a floating-point value: the caller falls back to `JSONEncoder`.
private struct FloatingPointValue: Error {}

/// A JSON value being built: scalars already serialized, containers filled by their encoding containers.
private enum Node {
    case scalar([UInt8])
    case object(ObjectNode)
    case array(ArrayNode)

    func write(to output: inout [UInt8]) {
        switch self {
        case .scalar(let bytes):
            output.append(contentsOf: bytes)
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let entries = object.entries.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (position, entry) in entries.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Node.writeString(entry.key, to: &output)
                output.append(UInt8(ascii: ":"))
                entry.value.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let array):
            output.append(UInt8(ascii: "["))
            for (position, element) in array.elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    static func string(_ value: String) -> Node {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 2)
        writeString(value, to: &bytes)
        return .scalar(bytes)
    }

    static func writeString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    static func integer<Value: BinaryInteger>(_ value: Value) -> Node { .scalar(Array(String(value).utf8)) }

    /// A finite `Double` as `JSONEncoder` writes it: `1.0` as `1`, `1e-07` and `0.25` as they are.
    static func double(_ value: Double) throws -> Node {
        guard value.isFinite else { throw FloatingPointValue() }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .scalar(Array(text.utf8))
    }
    static var null: Node { .scalar(Array("null".utf8)) }
    static var `true`: Node { .scalar(Array("true".utf8)) }
    static var `false`: Node { .scalar(Array("false".utf8)) }
}

private final class ObjectNode {
    var entries: [(key: String, value: Node)] = []
}

private final class ArrayNode {
    var elements: [Node] = []
}

/// The encoder handed to a value's `encode(to:)`; holds what the value made of itself.
private final class TreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: Node?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: ObjectNode
        if case .object(let existing)? = node {
            object = existing
        } else {
            object = ObjectNode()
            node = .object(object)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(object: object, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: ArrayNode
        if case .array(let existing)? = node {
            array = existing
        } else {
            array = ArrayNode()
            node = .array(array)
        }
        return UnkeyedContainer(array: array, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    /// The node of a nested value.
    static func node<Value: Encodable>(of value: Value, at codingPath: [any CodingKey]) throws -> Node {
        if let date = value as? Date { return Node.string(RFC3339.string(from: date)) }
        if let double = value as? Double { return try Node.double(double) }
        if value is Float { throw FloatingPointValue() }
        let encoder = TreeEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.node ?? .object(ObjectNode())
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: ObjectNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { object.entries.append((key.stringValue, .null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        object.entries.append((key.stringValue, value ? .true : .false))
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        object.entries.append((key.stringValue, .string(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        object.entries.append((key.stringValue, try .double(value)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws { throw FloatingPointValue() }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        object.entries.append((key.stringValue, .integer(value)))
    }
    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        object.entries.append((key.stringValue, try TreeEncoder.node(of: value, at: codingPath + [key])))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = ObjectNode()
        object.entries.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        object.entries.append((key.stringValue, .array(nested)))
        return UnkeyedContainer(array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        SuperEncoder(codingPath: codingPath) { [object] in object.entries.append(("super", $0)) }
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        SuperEncoder(codingPath: codingPath + [key]) { [object] in object.entries.append((key.stringValue, $0)) }
    }
}

/// The encoder of a `super` value: what it made of itself is stored when it is released.
private final class SuperEncoder: Encoder {
    let inner: TreeEncoder
    let store: (Node) -> Void
    var codingPath: [any CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(codingPath: [any CodingKey], store: @escaping (Node) -> Void) {
        inner = TreeEncoder(codingPath: codingPath)
        self.store = store
    }

    deinit {
        store(inner.node ?? .object(ObjectNode()))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        inner.container(keyedBy: type)
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let array: ArrayNode
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }

    mutating func encodeNil() throws { array.elements.append(.null) }
    mutating func encode(_ value: Bool) throws { array.elements.append(value ? .true : .false) }
    mutating func encode(_ value: String) throws { array.elements.append(.string(value)) }
    mutating func encode(_ value: Double) throws { array.elements.append(try .double(value)) }
    mutating func encode(_ value: Float) throws { throw FloatingPointValue() }
    mutating func encode(_ value: Int) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: Int8) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: Int16) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: Int32) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: Int64) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: UInt8) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: UInt16) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: UInt32) throws { array.elements.append(.integer(value)) }
    mutating func encode(_ value: UInt64) throws { array.elements.append(.integer(value)) }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
        array.elements.append(try TreeEncoder.node(of: value, at: codingPath + [IndexKey(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = ObjectNode()
        array.elements.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(object: nested, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = ArrayNode()
        array.elements.append(.array(nested))
        return UnkeyedContainer(array: nested, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        SuperEncoder(codingPath: codingPath) { [array] in array.elements.append($0) }
    }
}

private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.node = .null }
    mutating func encode(_ value: Bool) throws { encoder.node = value ? .true : .false }
    mutating func encode(_ value: String) throws { encoder.node = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.node = try .double(value) }
    mutating func encode(_ value: Float) throws { throw FloatingPointValue() }
    mutating func encode(_ value: Int) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: Int8) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: Int16) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: Int32) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: Int64) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: UInt) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: UInt8) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: UInt16) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: UInt32) throws { encoder.node = .integer(value) }
    mutating func encode(_ value: UInt64) throws { encoder.node = .integer(value) }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
        encoder.node = try TreeEncoder.node(of: value, at: codingPath)
    }
}

/// The coding key of an array element.
private struct IndexKey: CodingKey {
    var stringValue: String { String(index) }
    var intValue: Int? { index }
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
}
