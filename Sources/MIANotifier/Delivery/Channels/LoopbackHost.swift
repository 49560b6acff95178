import Foundation

/// Recognises host names and addresses of this machine, the only hosts plain-text channels may reach.
enum LoopbackHost {
    /// Whether `host` is `localhost`, an address in 127.0.0.0/8, or `::1` (with or without brackets).
    static func contains(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: ["[", "]"])
        if name == "localhost" || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
