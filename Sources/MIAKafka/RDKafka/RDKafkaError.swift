import CRdKafka

extension KafkaError {
    /// Maps a librdkafka response code to a typed error.
    static func rdKafka(
        _ err: rd_kafka_resp_err_t, context: String, file: String = #fileID, line: Int = #line
    ) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        let code: Code
        var retriable = false
        switch err {
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
            code = .messageTimedOut
            retriable = true
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            code = .queueFull
            retriable = true
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE,
            RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
            code = .transport
            retriable = true
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            code = .unknownTopic
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
            code = .messageTooLarge
        case RD_KAFKA_RESP_ERR_INVALID_MSG, RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE, RD_KAFKA_RESP_ERR_INVALID_RECORD,
            RD_KAFKA_RESP_ERR_INVALID_TIMESTAMP:
            code = .invalidRecord
        case RD_KAFKA_RESP_ERR__FATAL:
            code = .fatal
        case RD_KAFKA_RESP_ERR__AUTHENTICATION, RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED,
            RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
            RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
            code = .unauthorized
        case RD_KAFKA_RESP_ERR__TIMED_OUT:
            code = .timeout
            retriable = true
        default:
            code = .delivery
        }
        return KafkaError(
            code: code, message: "\(context): \(text)", rdKafkaCode: err.rawValue, isRetriable: retriable,
            file: file, line: line)
    }

    /// Wraps an `rd_kafka_error_t` and destroys it.
    static func consuming(
        _ error: OpaquePointer, context: String, file: String = #fileID, line: Int = #line
    ) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        var result = KafkaError.rdKafka(rd_kafka_error_code(error), context: context, file: file, line: line)
        if let text = rd_kafka_error_string(error) {
            result.message = "\(context): \(String(cString: text))"
        }
        result.isRetriable = result.isRetriable || rd_kafka_error_is_retriable(error) != 0
        return result
    }
}
