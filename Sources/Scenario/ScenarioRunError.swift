/// A case that could not run to its end: which case, which step, and what went wrong (one line).
public struct ScenarioRunError: Error, Sendable, CustomStringConvertible {
    public var caseName: String
    /// e.g. `line 14: S2 switch-on`, or `observe: read committed status`.
    public var step: String
    public var message: String
    /// True when the underlying error was a failure to connect (not a statement error).
    public var isConnectionFailure: Bool = false

    public init(caseName: String, step: String, message: String, isConnectionFailure: Bool = false) {
        self.caseName = caseName
        self.step = step
        self.message = message
        self.isConnectionFailure = isConnectionFailure
    }

    public var description: String { "case \(caseName): step \(step): \(message)" }
}
