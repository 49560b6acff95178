/// A fixed set of values with integer weights, drawn in proportion to their weights.
struct WeightedChoice<Value> {
    private let values: [Value]
    private let cumulative: [Int]

    /// Creates a choice; every weight must be positive.
    init(_ weighted: KeyValuePairs<Value, Int>) {
        var values: [Value] = []
        var cumulative: [Int] = []
        var total = 0
        for (value, weight) in weighted {
            precondition(weight > 0, "weights must be positive")
            total += weight
            values.append(value)
            cumulative.append(total)
        }
        self.values = values
        self.cumulative = cumulative
    }

    /// Creates a choice from parallel arrays of values and positive weights.
    init(values: [Value], weights: [Int]) {
        precondition(values.count == weights.count && !values.isEmpty, "one weight per value")
        self.values = values
        var total = 0
        cumulative = weights.map { weight in
            precondition(weight > 0, "weights must be positive")
            total += weight
            return total
        }
    }

    /// One value, drawn in proportion to the weights.
    func draw(using generator: inout SplitMix64) -> Value {
        value(at: generator.next())
    }

    /// The value at a point of the unit interval, given as a 64-bit binary fraction. Evenly spread
    /// points (a low-discrepancy sequence) give shares much closer to the weights than random draws.
    func value(at point: UInt64) -> Value {
        let ticket = Int(UInt64(cumulative[cumulative.count - 1]).multipliedFullWidth(by: point).high)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > ticket { high = middle } else { low = middle + 1 }
        }
        return values[low]
    }
}

extension WeightedChoice: Sendable where Value: Sendable {}
