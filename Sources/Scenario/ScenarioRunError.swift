import Postgres

/// A case that could not run to its end: which case, which step, and the error that ended it
/// (kept as it was thrown, so callers can tell a lost connection from a rejected statement).
public struct ScenarioRunError: Error, CustomStringConvertible {
    public var caseName: String
    /// e.g. `line 14: S2 switch-on`, or `observe: read committed status`.
    public var step: String
    /// What ended the case: a `PostgresError`, `SessionError`, `LampAppError`, or a hook's error.
    public var underlying: any Error

    public init(caseName: String, step: String, underlying: any Error) {
        self.caseName = caseName
        self.step = step
        self.underlying = underlying
    }

    /// The underlying error, one line.
    public var message: String { "\(underlying)" }

    /// True when the underlying error says the database connection is gone or could not be made
    /// (SQLSTATE class 08, an administrator's or crash shutdown, or a failed connect).
    public var isConnectionLoss: Bool { (underlying as? PostgresError)?.isConnectionLoss ?? false }

    public var description: String { "case \(caseName): step \(step): \(message)" }
}
