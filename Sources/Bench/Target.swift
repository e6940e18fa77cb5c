/// A goal from the issue: a measured median must stay at or under a limit.
public struct Target: Codable, Sendable {
    /// The row it applies to (see `BenchResults.rows`).
    public var key: String
    public var limit: Double
    /// Inclusive (`<=`) or strict (`<`).
    public var inclusive: Bool
    public var value: Double

    public var met: Bool { inclusive ? value <= limit : value < limit }

    /// `< 500` or `<= 3`.
    public var text: String { "\(inclusive ? "<=" : "<") \(Self.format(limit))" }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
