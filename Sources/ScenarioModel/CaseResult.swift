public import LampApp
public import LampSession

/// What one `expect` step found.
public struct ExpectationResult: Sendable, Equatable, Codable {
    public var line: Int
    public var expected: String
    public var actual: String?
    public var held: Bool { expected == actual }

    public init(line: Int, expected: String, actual: String?) {
        self.line = line
        self.expected = expected
        self.actual = actual
    }

    /// `expect on: the object's status is 'off': FAILS`.
    public var description: String {
        "expect \(expected): the object's status is \(displayValue(actual)): \(held ? "holds" : "FAILS")"
    }
}

/// Everything one case produced: its settings, observations and the event log of what the
/// sessions did. Codable, so renderers can be tested on recorded results without a database.
public struct CaseResult: Sendable, Equatable, Codable {
    public var scenario: String
    /// Whose session rules the case ran under.
    public var flavor: SessionFlavor
    public var settings: CaseSettings
    /// The isolation level in force, as PostgreSQL spells it (the server's default resolved).
    public var isolationInEffect: IsolationInEffect
    public var lampID: Int64
    public var observation: Observation
    public var expectations: [ExpectationResult]
    /// What the application's endpoint reported, per switch-on.
    public var appResponses: [SwitchOn.Response]
    /// The event log: every statement and ORM event, between step and observation markers.
    public var events: [CaseEvent]
    /// Session labels in order of first appearance (the test's first), with the observer last.
    public var sessionLabels: [String]
    public var observerLabel: String
    /// The labels of worker sessions (another process's connection), for diagrams; nil without one.
    public var workerLabels: [String]? = nil
    /// The error that ended the case early, as its outcome (nil when every step ran).
    public var error: CaseError?
    /// With `--stop-at-failed-expect`: the line of the failed `expect` where the case ended.
    public var stoppedAtLine: Int?
    /// For a case that stopped at a failed `expect`: its outcome when run to its end instead.
    public var outcomeWithoutStopping: CaseOutcome?
    /// The ORM whose rules the case ran under; nil for SQLAlchemy (so its recordings stay as they were).
    public var orm: ORM?

    /// The ORM whose rules the case ran under.
    public var ormRan: ORM { orm ?? .sqlalchemy }

    public init(scenario: String, flavor: SessionFlavor, settings: CaseSettings, isolationInEffect: IsolationInEffect, lampID: Int64,
                observation: Observation, expectations: [ExpectationResult], appResponses: [SwitchOn.Response], events: [CaseEvent],
                sessionLabels: [String], observerLabel: String, workerLabels: [String]? = nil, error: CaseError? = nil,
                stoppedAtLine: Int? = nil) {
        self.scenario = scenario
        self.flavor = flavor
        self.settings = settings
        self.isolationInEffect = isolationInEffect
        self.lampID = lampID
        self.observation = observation
        self.expectations = expectations
        self.appResponses = appResponses
        self.events = events
        self.sessionLabels = sessionLabels
        self.observerLabel = observerLabel
        self.workerLabels = workerLabels
        self.error = error
        self.stoppedAtLine = stoppedAtLine
    }

    /// `true pass`, ..., `error` or `blocked`: what the case's test came to.
    public var outcome: CaseOutcome { error?.outcome ?? CaseOutcome(observation.outcome) }

    /// The outcome as tables and JSON spell it.
    public var outcomeText: String { outcome.rawValue }

    /// The verdict, where the case observed its object (nil after an error).
    public var verdict: Verdict? { error == nil ? observation.verdict : nil }

    /// `read committed, expire_on_commit=false, app=commit`, the parts joined by `separator`.
    public func settingsLabel(separator: String = ", ") -> String {
        settings.label(isolation: isolationInEffect.description, separator: separator)
    }

    /// The statements in the event log, in order.
    public var statements: [TracedStatement] {
        events.compactMap { event in
            guard case let .session(entry) = event, case let .statement(statement) = entry.kind else { return nil }
            return statement
        }
    }
}
