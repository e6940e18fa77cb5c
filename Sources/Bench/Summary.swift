/// The median, minimum and maximum of repeated measurements, in milliseconds.
public struct Summary: Codable, Sendable, Equatable {
    public var median: Double
    public var min: Double
    public var max: Double
    /// How many measurements there were.
    public var runs: Int

    /// Summarises `samples` (milliseconds); the median of an even count is the mean of the middle two.
    public init(_ samples: [Double]) {
        let sorted = samples.sorted()
        runs = sorted.count
        min = sorted.first ?? 0
        max = sorted.last ?? 0
        if sorted.isEmpty {
            median = 0
        } else if sorted.count % 2 == 1 {
            median = sorted[sorted.count / 2]
        } else {
            median = (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
    }

    /// Every value divided by `divisor` (e.g. a whole run's time spread over its cases).
    public func divided(by divisor: Double) -> Summary {
        var copy = self
        copy.median /= divisor
        copy.min /= divisor
        copy.max /= divisor
        return copy
    }
}
