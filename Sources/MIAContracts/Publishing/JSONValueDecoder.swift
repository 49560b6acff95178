import Foundation

/// Decodes a `Decodable` value from a parsed ``JSONValue``, as `JSONDecoder` would from its bytes (the same
/// `DecodingError`s, RFC 3339 dates), and records which object keys the value read.
///
/// `mia publish` parses an input record once, reshapes it, decodes it from the tree and finds the fields the
/// contract does not know as the keys nobody read: no serialising and parsing again, no encoding the decoded
/// value to compare it with the input.
package struct JSONValueDecoder {
    package init() {}

    /// The decoded value, and the paths (`a.b`) of the input's non-null object fields it did not read, in key
    /// order, depth first. Objects inside arrays are not looked into.
    package func decode<Value: Decodable>(_ type: Value.Type, from value: JSONValue) throws -> (
        value: Value, unread: [String]
    ) {
        let reads = Reads()
        let decoded = try Self.decode(type, from: value, at: [], reads: reads)
        return (decoded, reads.unread(in: value, path: nil))
    }

    static func decode<Value: Decodable>(
        _ type: Value.Type, from value: JSONValue, at codingPath: [any CodingKey], reads: Reads
    ) throws -> Value {
        if type == Date.self {
            // What RFC3339's decoding strategy does: a string, then a timestamp.
            let text = try Scalar.string(value, codingPath)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: codingPath,
                        debugDescription:
                            "\(ContractViolation.contractMessagePrefix)expected an RFC 3339 timestamp with time zone"))
            }
            // swift-format-ignore: NeverForceUnwrap
            return date as! Value  // Value is Date
        }
        return try Value(from: TreeDecoder(value: value, codingPath: codingPath, reads: reads))
    }

    /// The keys read of every object, by its path (objects reached through object keys only).
    final class Reads {
        var keys: [String: Set<String>] = [:]

        func read(_ key: String, at codingPath: [any CodingKey]) {
            guard codingPath.allSatisfy({ $0.intValue == nil }) else { return }
            keys[codingPath.map(\.stringValue).joined(separator: "."), default: []].insert(key)
        }

        func unread(in value: JSONValue, path: String?) -> [String] {
            guard case .object(let fields) = value else { return [] }
            let read = keys[path ?? ""] ?? []
            return fields.keys.sorted().flatMap { key -> [String] in
                let field = path.map { "\($0).\(key)" } ?? key
                guard read.contains(key) else { return fields[key] == .null ? [] : [field] }
                return unread(in: fields[key]!, path: field)
            }
        }
    }
}

/// The decoder handed to a value's `init(from:)`.
private struct TreeDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let reads: JSONValueDecoder.Reads
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let fields) = value else {
            if value == .null {
                throw DecodingError.valueNotFound(
                    KeyedDecodingContainer<Key>.self, .init(codingPath: codingPath, debugDescription: "Found null."))
            }
            throw DecodingError.typeMismatch([String: Any].self, mismatch("an object", codingPath: codingPath))
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(fields: fields, codingPath: codingPath, reads: reads))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            if value == .null {
                throw DecodingError.valueNotFound(
                    (any UnkeyedDecodingContainer).self, .init(codingPath: codingPath, debugDescription: "Found null."))
            }
            throw DecodingError.typeMismatch([Any].self, mismatch("an array", codingPath: codingPath))
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, reads: reads)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath, reads: reads)
    }
}

private func mismatch(_ expected: String, codingPath: [any CodingKey]) -> DecodingError.Context {
    .init(codingPath: codingPath, debugDescription: "Expected to decode \(expected).")
}

/// Scalars out of a JSON value, with `JSONDecoder`'s errors.
private enum Scalar {
    static func bool(_ value: JSONValue, _ codingPath: [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else { throw failure(Bool.self, value, codingPath) }
        return bool
    }

    static func string(_ value: JSONValue, _ codingPath: [any CodingKey]) throws -> String {
        guard case .string(let text) = value else { throw failure(String.self, value, codingPath) }
        return text
    }

    static func integer<Value: FixedWidthInteger>(
        _ type: Value.Type, _ value: JSONValue, _ codingPath: [any CodingKey]
    ) throws -> Value {
        switch value {
        case .integer(let number):
            if let exact = Value(exactly: number) { return exact }
        case .number(let number):
            if let exact = Value(exactly: number) { return exact }
        default:
            throw failure(type, value, codingPath)
        }
        throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath, debugDescription: "Parsed JSON number does not fit in \(type)."))
    }

    static func floatingPoint(_ value: JSONValue, _ codingPath: [any CodingKey]) throws -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .number(let number): return number
        default: throw failure(Double.self, value, codingPath)
        }
    }

    /// A null where a value is required is `valueNotFound`, any other JSON type `typeMismatch`.
    static func failure(_ type: Any.Type, _ value: JSONValue, _ codingPath: [any CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "Found null."))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "Wrong JSON type."))
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let fields: [String: JSONValue]
    let codingPath: [any CodingKey]
    let reads: JSONValueDecoder.Reads

    var allKeys: [Key] { fields.keys.compactMap(Key.init(stringValue:)) }

    func contains(_ key: Key) -> Bool {
        reads.read(key.stringValue, at: codingPath)
        return fields[key.stringValue] != nil
    }

    private func value(_ key: Key) throws -> JSONValue {
        reads.read(key.stringValue, at: codingPath)
        guard let value = fields[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "No value associated with key \(key.stringValue).")
            )
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool { try value(key) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try Scalar.bool(value(key), codingPath + [key])
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try Scalar.string(value(key), codingPath + [key])
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try Scalar.floatingPoint(value(key), codingPath + [key])
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        Float(try Scalar.floatingPoint(value(key), codingPath + [key]))
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        try Scalar.integer(type, value(key), codingPath + [key])
    }
    func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value {
        try JSONValueDecoder.decode(type, from: value(key), at: codingPath + [key], reads: reads)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try TreeDecoder(value: value(key), codingPath: codingPath + [key], reads: reads).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try TreeDecoder(value: value(key), codingPath: codingPath + [key], reads: reads).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        TreeDecoder(value: fields["super"] ?? .null, codingPath: codingPath, reads: reads)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        TreeDecoder(value: fields[key.stringValue] ?? .null, codingPath: codingPath + [key], reads: reads)
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    let reads: JSONValueDecoder.Reads
    var currentIndex = 0

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var elementPath: [any CodingKey] { codingPath + [ElementKey(currentIndex)] }

    private mutating func next(_ type: Any.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, .init(codingPath: elementPath, debugDescription: "Unkeyed container is at end."))
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, elements[currentIndex] == .null else { return false }
        currentIndex += 1
        return true
    }
    mutating func decode(_ type: Bool.Type) throws -> Bool {
        let path = elementPath
        return try Scalar.bool(next(type), path)
    }
    mutating func decode(_ type: String.Type) throws -> String {
        let path = elementPath
        return try Scalar.string(next(type), path)
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let path = elementPath
        return try Scalar.floatingPoint(next(type), path)
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let path = elementPath
        return Float(try Scalar.floatingPoint(next(type), path))
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let path = elementPath
        return try JSONValueDecoder.decode(type, from: next(type), at: path, reads: reads)
    }

    private mutating func integer<Value: FixedWidthInteger>(_ type: Value.Type) throws -> Value {
        let path = elementPath
        return try Scalar.integer(type, next(type), path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        let path = elementPath
        return try TreeDecoder(value: next([String: Any].self), codingPath: path, reads: reads).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = elementPath
        return try TreeDecoder(value: next([Any].self), codingPath: path, reads: reads).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = elementPath
        return TreeDecoder(value: try next(Any.self), codingPath: path, reads: reads)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let reads: JSONValueDecoder.Reads

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try Scalar.bool(value, codingPath) }
    func decode(_ type: String.Type) throws -> String { try Scalar.string(value, codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try Scalar.floatingPoint(value, codingPath) }
    func decode(_ type: Float.Type) throws -> Float { Float(try Scalar.floatingPoint(value, codingPath)) }
    func decode(_ type: Int.Type) throws -> Int { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalar.integer(type, value, codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalar.integer(type, value, codingPath) }
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try JSONValueDecoder.decode(type, from: value, at: codingPath, reads: reads)
    }
}

/// The coding key of an array element.
private struct ElementKey: CodingKey {
    let index: Int
    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { index = intValue }
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
}
