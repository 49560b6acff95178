/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seeded generator whose output depends only on
/// the seed, so a simulation is byte-identical on every machine and Swift version.
///
/// Deliberately not a `RandomNumberGenerator`: the standard library's `random(in:using:)` algorithms are
/// not guaranteed stable across versions, so every draw goes through the methods here.
struct SplitMix64 {
    private var state: UInt64

    /// A generator for one independent stream of a seed, for example one participant.
    /// - Parameters:
    ///   - seed: The simulation seed.
    ///   - stream: The stream's number; different streams give unrelated sequences.
    init(seed: UInt64, stream: UInt64) {
        state = Self.mix(seed &+ Self.mix(stream &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform integer in `0..<bound`, without modulo bias (Lemire's method).
    mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let product = next().multipliedFullWidth(by: limit)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// A uniform integer in a range.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A uniform number in `0..<1` with 53 random bits.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// `true` with the given probability.
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// A uniform element of a non-empty array.
    mutating func element<Element>(of elements: [Element]) -> Element {
        elements[int(below: elements.count)]
    }

    /// `count` distinct elements of an array, in random order (a partial Fisher-Yates shuffle).
    mutating func sample<Element>(_ count: Int, of elements: [Element]) -> [Element] {
        var pool = elements
        let taken = min(count, pool.count)
        for index in 0..<taken {
            pool.swapAt(index, index + int(below: pool.count - index))
        }
        return Array(pool.prefix(taken))
    }

    /// The SplitMix64 finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
