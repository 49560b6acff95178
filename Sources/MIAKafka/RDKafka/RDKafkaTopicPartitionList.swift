import CRdKafka

/// Conversions between librdkafka's partition lists and Swift values.
enum RDKafkaTopicPartitionList {
    typealias Pointer = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// A new list holding `partitions` with `offsets` (or `RD_KAFKA_OFFSET_INVALID`). The caller destroys it.
    static func make(_ entries: [(TopicPartition, Int64)]) -> Pointer {
        let list = rd_kafka_topic_partition_list_new(Int32(max(entries.count, 1)))!
        for (topicPartition, offset) in entries {
            let element = rd_kafka_topic_partition_list_add(list, topicPartition.topic, topicPartition.partition)!
            element.pointee.offset = offset
        }
        return list
    }

    static func make(_ partitions: [TopicPartition]) -> Pointer {
        make(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
    }

    /// The entries of a list, with their offsets and per-partition errors.
    static func entries(_ list: Pointer) -> [(TopicPartitionOffset, rd_kafka_resp_err_t)] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            return (
                TopicPartitionOffset(
                    topic: String(cString: element.topic), partition: element.partition, offset: element.offset),
                element.err
            )
        }
    }

    static func partitions(_ list: Pointer) -> [TopicPartition] {
        entries(list).map { $0.0.topicPartition }
    }
}
