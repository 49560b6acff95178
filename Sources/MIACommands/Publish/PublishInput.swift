import ArgumentParser
import Foundation

/// What `mia publish` reads: a file or standard input, block by block, with a name for its reports.
struct PublishInput: Sendable {
    /// The name used in reports: the file's path, or `stdin`.
    let name: String
    /// The size in bytes, when the input is a regular file (for progress).
    let size: Int?
    private let handle: FileHandle

    /// How much is read at a time.
    static let blockSize = 4 << 20

    /// Opens a file, or standard input when `path` is `nil` or `-` (saying so when that is a terminal).
    /// - Throws: `ValidationError` naming the file when it cannot be opened.
    static func open(_ path: String?) throws -> PublishInput {
        guard let path, path != "-" else {
            if isatty(STDIN_FILENO) == 1 {
                StandardError.write("reading records from standard input; end with Ctrl-D\n")
            }
            return PublishInput(name: "stdin", size: nil, handle: .standardInput)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable" : "no such file"
            throw ValidationError("cannot read \(path): \(reason)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return PublishInput(name: path, size: size, handle: handle)
    }

    /// The next block of bytes, or nil at the end; the read blocks, so it runs off Swift's cooperative pool.
    func nextBlock() async throws -> Data? {
        let handle = self.handle
        let block = try await offThePool { try handle.read(upToCount: Self.blockSize) }
        return block?.isEmpty == false ? block : nil
    }
}
