import Foundation
import MIAKafka

/// The machine a benchmark ran on, printed in the table's header and written to `results.json`.
struct MachineFacts: Codable, Sendable, Hashable {
    /// Processors available to this process.
    var cores: Int
    /// The CPU model from `/proc/cpuinfo`.
    var cpuModel: String
    /// Physical memory in MiB.
    var memoryMiB: Int
    /// The librdkafka `mia` and the workers link.
    var librdkafka: String
    /// `kcat`'s version line (it names its own librdkafka).
    var kcat: String
    /// `debug` or `release`: how this `mia` (and the workers next to it) were built.
    var buildMode: String

    /// The facts of this machine.
    /// - Parameter kcatVersion: The first lines of `kcat -V`.
    static func current(kcatVersion: String) -> MachineFacts {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        #if DEBUG
            let mode = "debug"
        #else
            let mode = "release"
        #endif
        // "Version 1.7.1 (JSON, ..., librdkafka 2.0.2 builtin.features=...)" → "1.7.1 (librdkafka 2.0.2)"
        let words = kcatVersion.split(whereSeparator: \.isWhitespace)
        let kcatLine = [
            words.firstIndex(of: "Version").flatMap { words.indices.contains($0 + 1) ? String(words[$0 + 1]) : nil },
            words.firstIndex(of: "librdkafka").flatMap {
                words.indices.contains($0 + 1) ? "(librdkafka \(words[$0 + 1]))" : nil
            },
        ].compactMap { $0 }.joined(separator: " ")
        return MachineFacts(
            cores: ProcessInfo.processInfo.activeProcessorCount, cpuModel: model,
            memoryMiB: Int(ProcessInfo.processInfo.physicalMemory / 1_048_576), librdkafka: KafkaClientLibrary.version,
            kcat: kcatLine, buildMode: mode)
    }

    /// One line for the table's header.
    var summary: String {
        "\(cores) cores, \(cpuModel), \(memoryMiB) MiB; librdkafka \(librdkafka); \(buildMode) build; kcat \(kcat)"
    }
}
