/// The table of the lines that start with a keyword rather than a session name: `scenario`,
/// `summary` and `session`, with their syntax and help line.
public enum LineKeyword: String, CaseIterable, Sendable {
    case scenario
    case summary
    case session

    public var spelling: String { rawValue }

    /// How the grammar reference spells the whole line.
    public var syntax: String {
        switch self {
        case .scenario: return "scenario NAME [orm=" + ORM.allCases.map(\.rawValue).joined(separator: "|") + "]"
        case .summary: return "summary TEXT"
        case .session: return "session NAME " + SessionRoleKeyword.allCases.map(\.spelling).joined(separator: "|") + " [SETTING...]"
        }
    }

    /// One line for the grammar reference.
    public var help: String {
        switch self {
        case .scenario: return "first: the scenario's name (letters, digits, '-' or '_'), and whose rules it follows (else --orm; default sqlalchemy)"
        case .summary: return "one line saying what the scenario does (optional)"
        case .session: return "declare a session, before the first step"
        }
    }
}

/// The table of session kinds a `session` line declares: `test`, `app` or `worker`.
public enum SessionRoleKeyword: String, CaseIterable, Sendable {
    case test
    case app
    case worker

    public var spelling: String { rawValue }

    /// One line for the grammar reference.
    public var help: String {
        switch self {
        case .test: return "the test's session: it creates, reads and asserts (exactly one)"
        case .app: return "the application's session, opened and closed per request"
        case .worker: return "another process's connection (a Celery worker, a live-server thread): its own, never the fixture's; sql-read only"
        }
    }
}
