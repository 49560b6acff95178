import Foundation

/// The parts of librdkafka's consumer statistics JSON the worker reports: lag per partition.
struct ConsumerStatistics: Sendable, Hashable {
    struct PartitionLag: Sendable, Hashable {
        var topic: String
        var partition: Int32
        var lag: Int64
    }

    var lags: [PartitionLag]

    /// Parses the statistics; partitions without a known lag (not assigned, `-1`) are left out.
    init(json: String) {
        var lags: [PartitionLag] = []
        if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let topics = object["topics"] as? [String: Any]
        {
            for (topic, value) in topics {
                guard let partitions = (value as? [String: Any])?["partitions"] as? [String: Any] else { continue }
                for (id, entry) in partitions {
                    guard let partition = Int32(id), partition >= 0,
                        let lag = ((entry as? [String: Any])?["consumer_lag"] as? NSNumber)?.int64Value, lag >= 0
                    else { continue }
                    lags.append(PartitionLag(topic: topic, partition: partition, lag: lag))
                }
            }
        }
        self.lags = lags.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
