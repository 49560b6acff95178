import CRdKafka
import Logging
import Synchronization

/// The Swift side of librdkafka's client-level callbacks, reached through the client's opaque pointer.
///
/// Immutable after creation; the closures are `@Sendable` and librdkafka calls them from its own threads
/// (logs, errors) or from inside `rd_kafka_poll`/`rd_kafka_consumer_poll` (statistics, rebalances).
final class RDKafkaCallbacks: Sendable {
    let logger: Logger
    let onStatistics: (@Sendable (String) -> Void)?
    let onRebalance: (@Sendable (RDKafkaRebalance) -> Void)?
    private let fatal = Mutex<KafkaError?>(nil)

    /// The first fatal error the client reported (see ``KafkaError/isFatal``), if any.
    var fatalError: KafkaError? { fatal.withLock { $0 } }

    /// Remembers a fatal error; only the first is kept and logged.
    func noteFatal(_ error: KafkaError) {
        let first = fatal.withLock { current in
            guard current == nil else { return false }
            current = error
            return true
        }
        if first { logger.critical("fatal Kafka client error", metadata: ["error": "\(error)"]) }
    }

    init(
        logger: Logger,
        onStatistics: (@Sendable (String) -> Void)? = nil,
        onRebalance: (@Sendable (RDKafkaRebalance) -> Void)? = nil
    ) {
        self.logger = logger
        self.onStatistics = onStatistics
        self.onRebalance = onRebalance
    }

    /// Installs the C trampolines on `conf`, with `opaque` pointing at this object.
    func install(on conf: OpaquePointer, opaque: UnsafeMutableRawPointer) {
        rd_kafka_conf_set_opaque(conf, opaque)
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let rk, let callbacks = RDKafkaCallbacks.from(rd_kafka_opaque(rk)) else { return }
            let text = message.map { String(cString: $0) } ?? ""
            let facilityText = facility.map { String(cString: $0) } ?? ""
            let logLevel: Logger.Level =
                switch level {
                case 0...3: .error
                case 4: .warning
                case 5, 6: .info
                default: .debug
                }
            callbacks.logger.log(level: logLevel, "librdkafka: \(text)", metadata: ["facility": "\(facilityText)"])
        }
        rd_kafka_conf_set_error_cb(conf) { rk, err, reason, opaque in
            guard let callbacks = RDKafkaCallbacks.from(opaque) else { return }
            let text = reason.map { String(cString: $0) } ?? ""
            let code = rd_kafka_resp_err_t(rawValue: err)
            var error = KafkaError.rdKafka(code, context: "kafka client error")
            error.message = "kafka client error: \(text)"
            if code == RD_KAFKA_RESP_ERR__FATAL, let rk {
                // The error that made the client fatal, with librdkafka's explanation.
                var buffer = RDKafkaErrorText.buffer()
                let underlying = rd_kafka_fatal_error(rk, &buffer, buffer.count)
                error.message =
                    "fatal error \(String(cString: rd_kafka_err2name(underlying))): "
                    + RDKafkaErrorText.message(in: buffer)
            }
            if error.isFatal {
                callbacks.noteFatal(error)
                return
            }
            // Transport errors are retried by librdkafka itself; they are warnings, not failures.
            callbacks.logger.warning(
                "kafka client error: \(text)", metadata: ["code": "\(String(cString: rd_kafka_err2name(code)))"])
        }
        if onStatistics != nil {
            rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
                guard let callbacks = RDKafkaCallbacks.from(opaque), let json else { return 0 }
                let text = String(
                    decoding: UnsafeRawBufferPointer(start: json, count: length), as: UTF8.self)
                callbacks.onStatistics?(text)
                return 0  // librdkafka frees the JSON
            }
        }
        if onRebalance != nil {
            rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
                guard let rk, let partitions, let callbacks = RDKafkaCallbacks.from(opaque) else { return }
                callbacks.onRebalance?(RDKafkaRebalance(handle: rk, error: err, partitions: partitions))
            }
        }
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> RDKafkaCallbacks? {
        guard let opaque else { return nil }
        return Unmanaged<RDKafkaCallbacks>.fromOpaque(opaque).takeUnretainedValue()
    }
}

/// One rebalance callback from librdkafka; valid only during the callback.
struct RDKafkaRebalance: @unchecked Sendable {
    // @unchecked: the pointers are only used synchronously inside the rebalance callback.
    let handle: OpaquePointer
    let error: rd_kafka_resp_err_t
    let partitions: RDKafkaTopicPartitionList.Pointer
}
