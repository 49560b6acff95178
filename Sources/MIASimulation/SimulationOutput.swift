import Foundation
import MIAContracts

/// The records of a simulated programme as agency input files: one array of NDJSON lines per kind, the
/// faults put in on purpose, and a manifest.
public struct SimulationOutput: Sendable, Hashable {
    /// The kinds in the order their files should be published: capacity and calendars first, so that
    /// referrals find them, then referrals, follow-ups and outcomes.
    public static let publishOrder: [InputRecordKind] = [.asfCapacity, .calendarBusy, .referral, .followup, .outcome]

    /// ASF capacity declarations, by first day.
    public var asfCapacity: [String]
    /// Staff busy periods, by start.
    public var calendarBusy: [String]
    /// Referrals, by decision day.
    public var referrals: [String]
    /// Follow-ups, by day.
    public var followups: [String]
    /// Outcomes, by end day.
    public var outcomes: [String]
    /// Every faulty line, by file and line.
    public var faults: [SimulationFault]
    /// Counts and parameters.
    public var manifest: SimulationManifest

    /// Creates an output.
    public init(
        asfCapacity: [String], calendarBusy: [String], referrals: [String], followups: [String], outcomes: [String],
        faults: [SimulationFault], manifest: SimulationManifest
    ) {
        self.asfCapacity = asfCapacity
        self.calendarBusy = calendarBusy
        self.referrals = referrals
        self.followups = followups
        self.outcomes = outcomes
        self.faults = faults
        self.manifest = manifest
    }

    /// The file a kind is written to, for example `referral.ndjson`.
    public static func fileName(of kind: InputRecordKind) -> String { "\(kind.rawValue).ndjson" }

    /// The lines of a kind; empty for kinds the simulator does not generate.
    public func lines(of kind: InputRecordKind) -> [String] {
        switch kind {
        case .asfCapacity: asfCapacity
        case .calendarBusy: calendarBusy
        case .referral: referrals
        case .followup: followups
        case .outcome: outcomes
        default: []
        }
    }

    /// The contents of a kind's file: its lines, each ended by a newline.
    public func fileContents(of kind: InputRecordKind) -> Data {
        var contents = Data()
        forEachChunk(of: kind) { contents.append($0) }
        return contents
    }

    /// Hands the contents of a kind's file over in chunks of about a megabyte, so that large files are
    /// written without a second copy in memory.
    private func forEachChunk(of kind: InputRecordKind, _ body: (Data) throws -> Void) rethrows {
        let chunkSize = 1 << 20
        var chunk = Data(capacity: chunkSize + 4096)
        for line in lines(of: kind) {
            chunk.append(contentsOf: line.utf8)
            chunk.append(UInt8(ascii: "\n"))
            if chunk.count >= chunkSize {
                try body(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { try body(chunk) }
    }

    /// Writes one NDJSON file per kind in ``publishOrder``, `faults.json` and `manifest.json`, creating
    /// the directory if needed and replacing files of an earlier run.
    /// - Parameter directory: The directory to write to.
    /// - Throws: ``SimulationError/Code/writeFailed`` when a file cannot be written.
    public func write(to directory: URL) throws(SimulationError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for kind in Self.publishOrder {
                let file = directory.appendingPathComponent(Self.fileName(of: kind))
                guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                    throw SimulationError(.writeFailed, "cannot create \(file.path)")
                }
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                try forEachChunk(of: kind) { try handle.write(contentsOf: $0) }
            }
            try (encoder.encode(faults) + Data("\n".utf8)).write(to: directory.appendingPathComponent("faults.json"))
            try (encoder.encode(manifest) + Data("\n".utf8)).write(
                to: directory.appendingPathComponent("manifest.json"))
        } catch let error as SimulationError {
            throw error
        } catch {
            throw SimulationError(.writeFailed, "cannot write to \(directory.path): \(error.localizedDescription)")
        }
    }
}
