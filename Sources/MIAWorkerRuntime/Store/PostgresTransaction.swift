import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A PostgreSQL connection inside an open transaction, seen as a ``StoreTransaction``.
///
/// The statements are synchronous: the store runs the worker's transaction body on a thread of its own (never
/// on Swift's cooperative pool or on a NIO event loop) and waits for each statement's result there.
struct PostgresTransaction: StoreTransaction {
    let connection: PostgresConnection
    let logger: Logger
    /// A statement unanswered for this long fails as a transient error and its connection is closed.
    let statementTimeout: TimeAmount

    var dialect: SQLDialect { .postgres }

    @discardableResult
    func execute(_ sql: String, _ arguments: [SQLValue]) throws -> Int {
        try run(sql, arguments).metadata.rows ?? 0
    }

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        var names: [String]?
        return try run(sql, arguments).rows.map { row in
            let values = row.map(Self.value(of:))
            // Every row of a result shares one array of column names.
            if names == nil { names = row.map(\.columnName) }
            return SQLRow(names: names ?? [], values: values)
        }
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try run("SAVEPOINT mia_savepoint", [])
        do {
            let result = try body()
            try run("RELEASE SAVEPOINT mia_savepoint", [])
            return result
        } catch {
            // Undo the savepoint's statements; the transaction itself goes on.
            try run("ROLLBACK TO SAVEPOINT mia_savepoint", [])
            try run("RELEASE SAVEPOINT mia_savepoint", [])
            throw error
        }
    }

    /// Runs one statement and waits for its result, at most `statementTimeout` unless `bounded` is false.
    @discardableResult
    func run(_ sql: String, _ arguments: [SQLValue], bounded: Bool = true) throws -> PostgresQueryResult {
        StoreStatements.ran()
        var bindings = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: bindings.appendNull()
            case .integer(let value): bindings.append(value)
            case .real(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numberedPlaceholders(sql), binds: bindings)
        do {
            let result = connection.query(query, logger: logger)
            return try (bounded ? self.bounded(result) : result).wait()
        } catch {
            throw PostgresStore.classify(error)
        }
    }

    /// The statement's result, or a transient ``StoreError`` once `statementTimeout` has passed without one;
    /// the connection is then closed, which fails whatever else waits on it.
    private func bounded(_ result: EventLoopFuture<PostgresQueryResult>) -> EventLoopFuture<PostgresQueryResult> {
        let loop = result.eventLoop
        let promise = loop.makePromise(of: PostgresQueryResult.self)
        let connection = self.connection
        let timeout = statementTimeout
        let settled = Settled()
        let timer = loop.scheduleTask(in: timeout) {
            guard settled.claim() else { return }
            promise.fail(
                StoreError(
                    isTransient: true,
                    message: "PostgreSQL did not answer within \(timeout.nanoseconds / 1_000_000_000) s",
                    isConnectionLost: true))
            let closing: EventLoopFuture<Void> = connection.close()
            closing.whenComplete { _ in }
        }
        result.whenComplete { outcome in
            timer.cancel()
            guard settled.claim() else { return }
            promise.completeWith(outcome)
        }
        return promise.futureResult
    }

    /// The SQL with SQLite's `?` placeholders as PostgreSQL's `$1`, `$2`, ...; question marks inside quoted
    /// strings and identifiers are left alone.
    package static func numberedPlaceholders(_ sql: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: UInt8?
        // Byte by byte: quotes and `?` are ASCII, and no byte of a multi-byte UTF-8 character is.
        for byte in sql.utf8 {
            if let open = quote {
                if byte == open { quote = nil }
                result.append(byte)
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
                result.append(byte)
            } else if byte == UInt8(ascii: "?") {
                number += 1
                result.append(UInt8(ascii: "$"))
                result.append(contentsOf: String(number).utf8)
            } else {
                result.append(byte)
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// A cell's value, in the type SQLite would give.
    private static func value(of cell: PostgresCell) -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self)).map(SQLValue.integer) ?? .null
        case .bool:
            return (try? cell.decode(Bool.self)).map { .integer($0 ? 1 : 0) } ?? .null
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map(SQLValue.real) ?? .null
        case .numeric:
            // Sums and averages of integers come back as numeric; integral values stay integers.
            guard let text = try? cell.decode(String.self) else { return .null }
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case .bytea:
            return (try? cell.decode(ByteBuffer.self)).map { .blob(Array($0.readableBytesView)) } ?? .null
        default:
            return (try? cell.decode(String.self)).map(SQLValue.text) ?? .null
        }
    }
}

/// Which of a statement's result and its timeout came first: only that one settles the statement.
private final class Settled: Sendable {
    private let done = Atomic<Bool>(false)

    /// True for the first caller only.
    func claim() -> Bool {
        done.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
