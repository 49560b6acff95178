/// A value bound to, or read from, a SQL statement; the common ground of SQLite and PostgreSQL.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .real(let value): Int64(value)
        case .text(let value): Int64(value)
        default: nil
        }
    }

    public var text: String? {
        switch self {
        case .text(let value): value
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .blob(let bytes): String(validating: bytes, as: UTF8.self)
        case .null: nil
        }
    }

    public var blob: [UInt8]? {
        switch self {
        case .blob(let bytes): bytes
        case .text(let value): Array(value.utf8)
        default: nil
        }
    }

    public var isNull: Bool { self == .null }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue {
    /// A text value, or null.
    public static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    /// An integer value.
    public static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
    /// A boolean as 0 or 1.
    public static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
}

/// One result row: its values in column order, with the column names its result shares (no dictionary per row).
public struct SQLRow: Sendable, Hashable {
    /// The column names, the same array for every row of a result.
    public let names: [String]
    /// The values, in the order of ``names``.
    public let values: [SQLValue]

    public init(names: [String], values: [SQLValue]) {
        self.names = names
        self.values = values
    }

    public init(columns: [String: SQLValue]) {
        names = Array(columns.keys)
        values = names.map { columns[$0] ?? .null }
    }

    /// The value of a column, `.null` when the row has no such column.
    public subscript(_ column: String) -> SQLValue {
        // A handful of columns: a look along them is quicker than building and hashing a dictionary per row.
        for index in names.indices where names[index] == column { return values[index] }
        return .null
    }

    /// The values by column name.
    public var columns: [String: SQLValue] { Dictionary(zip(names, values)) { _, last in last } }
}
