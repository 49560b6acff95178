import Foundation

/// A reader of the Prometheus text exposition format, for assertions on `/metrics`.
public enum PrometheusText {
    /// One sample line.
    public struct Sample: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// Parses every sample line.
    ///
    /// - Throws: ``TestKitError`` on a line that is not valid exposition format.
    public static func samples(_ text: String) throws -> [Sample] {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let value = Double(parts[parts.count - 1]) else {
                throw TestKitError("not a Prometheus sample: \(line)")
            }
            let series = parts[0..<(parts.count - 1)].joined(separator: " ")
            var name = series
            var labels: [String: String] = [:]
            if let open = series.firstIndex(of: "{") {
                guard series.hasSuffix("}") else { throw TestKitError("unterminated labels: \(line)") }
                name = String(series[..<open])
                let body = series[series.index(after: open)..<series.index(before: series.endIndex)]
                for pair in body.split(separator: ",") {
                    let keyValue = pair.split(separator: "=", maxSplits: 1)
                    guard keyValue.count == 2, keyValue[1].hasPrefix("\""), keyValue[1].hasSuffix("\"") else {
                        throw TestKitError("bad label in \(line)")
                    }
                    labels[String(keyValue[0])] = String(keyValue[1].dropFirst().dropLast())
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }

    /// The sum of a metric over the label sets that contain every given label (0 when there is none).
    public static func value(of name: String, labels: [String: String] = [:], in text: String) throws -> Double {
        try samples(text).filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }.reduce(0) { $0 + $1.value }
    }
}
