/// The text librdkafka wrote into a caller-provided error buffer (`errstr`, `errstr_size`).
enum RDKafkaErrorText {
    /// A buffer of the size MIAKafka passes to librdkafka.
    static func buffer() -> [CChar] { [CChar](repeating: 0, count: 512) }

    /// The NUL-terminated message in `buffer`.
    static func message(in buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
