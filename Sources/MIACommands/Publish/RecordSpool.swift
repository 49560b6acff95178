import Foundation
import MIAKafka

/// Prepared records kept on disk between validating an input and publishing it, so that nothing is published
/// from an input with an invalid record while memory stays flat however large the input is.
///
/// Each record is its key's length and bytes, then its value's (lengths as 4-byte little-endian); the topic and
/// headers are the same for every record of an input. The file is removed when the spool is released.
final class RecordSpool: @unchecked Sendable {
    // @unchecked: one task writes it, then one task reads it, never at the same time.
    private let url: URL
    private let writer: FileHandle
    /// Records written.
    private(set) var count = 0

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mia-publish-\(UUID().uuidString).spool")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
            let writer = FileHandle(forWritingAtPath: url.path)
        else {
            throw CommandFailure(part: "mia publish", message: "cannot write a spool file in \(url.path)")
        }
        self.writer = writer
    }

    deinit {
        try? writer.close()
        try? FileManager.default.removeItem(at: url)
    }

    /// Appends records.
    func write(_ messages: [KafkaProducerMessage]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(messages.reduce(0) { $0 + 8 + ($1.key?.count ?? 0) + $1.value.count })
        for message in messages {
            Self.append(message.key ?? [], to: &bytes)
            Self.append(message.value, to: &bytes)
        }
        try writer.write(contentsOf: bytes)
        count += messages.count
    }

    /// Reads the records back in order, `batchSize` at a time, as records for `topic` with `headers`.
    func read(
        batchSize: Int, topic: String, headers: [KafkaHeader], _ body: ([KafkaProducerMessage]) async throws -> Void
    ) async throws {
        try writer.synchronize()
        guard let reader = FileHandle(forReadingAtPath: url.path) else {
            throw CommandFailure(part: "mia publish", message: "cannot read the spool file \(url.path)")
        }
        defer { try? reader.close() }
        var buffer: [UInt8] = []
        var position = 0
        var batch: [KafkaProducerMessage] = []
        batch.reserveCapacity(batchSize)
        func field() -> [UInt8]? {
            guard buffer.count - position >= 4 else { return nil }
            let length = buffer[position..<position + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            guard buffer.count - position - 4 >= length else { return nil }
            defer { position += 4 + length }
            return Array(buffer[position + 4..<position + 4 + length])
        }
        while let block = try reader.read(upToCount: PublishInput.blockSize), !block.isEmpty {
            buffer.removeFirst(position)
            position = 0
            buffer += block
            while true {
                let start = position
                guard let key = field(), let value = field() else {
                    position = start
                    break
                }
                batch.append(KafkaProducerMessage(topic: topic, key: key, value: value, headers: headers))
                if batch.count == batchSize {
                    try await body(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        if !batch.isEmpty { try await body(batch) }
    }

    private static func append(_ field: [UInt8], to bytes: inout [UInt8]) {
        let length = UInt32(field.count)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: length >> shift)) }
        bytes += field
    }
}
