import LampApp
import LampSession

/// What one `expect` step found.
public struct ExpectationResult: Sendable, Equatable {
    public var line: Int
    public var expected: String
    public var actual: String?
    public var held: Bool { expected == actual }
}

/// Everything one case produced: its settings, observations and the trace of what the sessions did.
public struct CaseResult: Sendable, Equatable {
    public var scenario: String
    public var settings: CaseSettings
    /// The isolation level in force, as PostgreSQL spells it (the server's default resolved).
    public var isolationInEffect: String
    public var lampID: Int64
    public var observation: Observation
    public var expectations: [ExpectationResult]
    /// What the application's endpoint reported, per switch-on.
    public var appResponses: [SwitchOn.Response]
    public var trace: [TraceEntry]
    /// Session labels in order of first appearance (the test's first), with the observer last.
    public var sessionLabels: [String]
    public var observerLabel: String
}
