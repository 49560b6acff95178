extension Duration {
    /// The duration in whole milliseconds, as the store's clock and PostgreSQL's settings count time.
    var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
