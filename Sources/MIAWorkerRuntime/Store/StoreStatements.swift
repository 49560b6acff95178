import Synchronization

/// How many SQL statements this process has sent to its stores: what `mia bench` divides by the records a
/// worker handled, to show how many statements a record costs (the booker's target is 20 per anvisning).
public enum StoreStatements {
    private static let counter = Atomic<Int>(0)

    /// Statements run so far, by every store of the process.
    public static var count: Int { counter.load(ordering: .relaxed) }

    /// Counts one statement.
    static func ran() { counter.add(1, ordering: .relaxed) }
}
