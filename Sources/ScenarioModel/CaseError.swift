import LampApp
import LampSession
import Postgres

/// An error that became a case's outcome instead of ending the run: an ORM error (named as
/// SQLAlchemy names its exception class), a transaction the server rolled back (named by
/// PostgreSQL's condition name), or a step blocked by another session of the scenario.
public struct CaseError: Sendable, Equatable, Codable {
    /// `InvalidRequestError`, `serialization_failure`, `blocked`, ...
    public var kind: String
    /// The step's line; nil when the observation raised it (the final assertion's read of the
    /// object, or the plain SQL read after it).
    public var line: Int?
    /// `line 13: S3 switch-on commit`, or `observe: ...`.
    public var step: String
    /// The error, one line, as lampctl words it.
    public var message: String
    /// For `blocked`: the session(s) holding the lock the step waited on.
    public var holder: String?
    /// The session whose step raised it (nil: the observation did).
    public var session: String?

    public init(kind: String, line: Int?, step: String, message: String, holder: String? = nil) {
        self.kind = kind
        self.line = line
        self.step = step
        self.message = message
        self.holder = holder
    }

    /// The kind `blocked`: a step waited on a lock another session of the scenario held.
    public static let blockedKind = "blocked"

    public var isBlocked: Bool { kind == Self.blockedKind }

    /// The kind `not applicable`: the server's configuration lacks what a step needs.
    public static let notApplicableKind = "not applicable"

    public var isNotApplicable: Bool { kind == Self.notApplicableKind }

    /// The case's outcome: `blocked`, `not applicable` or `error`.
    public var outcome: CaseOutcome { isBlocked ? .blocked : isNotApplicable ? .notApplicable : .error }

    /// Which of the observation's own reads raised it (nil: a step did).
    public var observationRead: ObservationRead?

    /// The observation's reads that can raise a case's error.
    public enum ObservationRead: String, Sendable, Codable {
        /// The test's assertion reads the object.
        case assertion
        /// The plain SQL read in the test's transaction (after the session's autoflush).
        case transactionRead
    }

    /// The observation's phase that reads the test's transaction with plain SQL through its
    /// session (`<phase> in S1's transaction`): its autoflush can fail after the assertion read.
    public static let transactionReadPhase = "plain SQL read"

    /// `error at line 13: serialization_failure`; with no line, `at the final assertion` (the
    /// object's read) or `at the observation's SQL read` (the autoflush before it).
    public var summary: String {
        let place = line.map { "line \($0)" }
            ?? (observationRead == .transactionRead ? "the observation's SQL read" : "the final assertion")
        if isNotApplicable { return "not applicable at \(place)" }
        return "\(outcome.rawValue) at \(place)" + (isBlocked ? " by \(holder ?? "another session")" : ": \(kind)")
    }

    /// The SQLSTATEs whose statement failure is the case's outcome: the server rolled the
    /// transaction back, or refused to wait for a lock.
    public static let transactionConditions = [
        SQLState.serializationFailure.rawValue: "serialization_failure",
        SQLState.deadlockDetected.rawValue: "deadlock_detected",
        SQLState.lockNotAvailable.rawValue: "lock_not_available",
    ]
}

/// A step's statement waited on a lock held by another session of the same scenario.
public struct CaseBlocked: Error, Sendable, CustomStringConvertible {
    /// The blocked session's label.
    public var session: String
    /// The labels of the sessions holding the lock.
    public var holder: String

    public init(session: String, holder: String) {
        self.session = session
        self.holder = holder
    }

    public var description: String { "\(session) waits for a lock held by \(holder)" }
}
