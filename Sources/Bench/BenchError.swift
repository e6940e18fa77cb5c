/// A benchmark that could not be measured, with the reason in one line.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
