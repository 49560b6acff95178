#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback TCP port that is free now, for a worker's `--http-port` in a test.
///
/// It is chosen below the kernel's ephemeral range (32768-60999 on Linux), so that an outgoing connection of
/// another test cannot take it between this check and the worker's bind, and is checked by binding it once.
public func freeLoopbackPort(in range: ClosedRange<Int> = 20_000...32_000) -> Int {
    for _ in 0..<200 {
        let port = Int.random(in: range)
        if canBind(port: port) { return port }
    }
    return Int.random(in: range)
}

private func canBind(port: Int) -> Bool {
    #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    return result == 0
}
