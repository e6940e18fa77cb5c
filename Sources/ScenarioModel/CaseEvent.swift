public import LampSession

/// One entry of a case's event log: what a session did (a statement or an ORM event, as the
/// session recorded it), or what the scenario marked around it (steps, observation phases,
/// expectations). Renderers read these values; none parses text back.
public enum CaseEvent: Sendable, Equatable, Codable {
    /// A statement or ORM event a session recorded.
    case session(TraceEntry)
    /// A scenario step begins.
    case step(StepMarker)
    /// A phase of the observation after the last step begins.
    case observation(ObservationMarker)
    /// An `expect` step compared the test's object with what it expected.
    case expectation(session: String, ExpectationResult)

    /// The session the entry belongs to (a marker's: the session it names).
    public var session: String {
        switch self {
        case let .session(entry): return entry.session
        case let .step(marker): return marker.session
        case let .observation(marker): return marker.session
        case let .expectation(session, _): return session
        }
    }

    /// True for step and observation markers.
    public var isMarker: Bool {
        switch self {
        case .step, .observation: return true
        case .session, .expectation: return false
        }
    }
}

/// Where a step begins: its line in the scenario file, its session and what it does.
public struct StepMarker: Sendable, Equatable, Codable {
    public var line: Int
    public var session: String
    public var action: StepAction
    /// The lamp the step names (nil: the unnamed lamp or none).
    public var lamp: String?

    public init(_ step: Step) {
        line = step.line
        session = step.session
        action = step.action
        lamp = step.lamp
    }

    /// `line 16: S1 select` (`line 16: S1 select a`): how traces, diagrams and messages name the step.
    public var title: String { "line \(line): \(session) \(action.text(lamp: lamp))" }
}

/// Where a phase of the observation begins, and which session it concerns.
public struct ObservationMarker: Sendable, Equatable, Codable {
    /// The observation's phases, in the order they run.
    public enum Phase: String, Sendable, Equatable, Codable {
        /// The test's assertion reads the object's status.
        case assertion
        /// A plain SQL read in the test session's transaction.
        case transactionRead
        /// The test session is closed.
        case close
        /// The committed status is read on a fresh connection.
        case committedRead
        /// A brand-new connection reads the lamp during the test (runs that show fixtures).
        case otherConnectionRead
        /// The fixture recipe's teardown (TRUNCATE, or the outer transaction's rollback).
        case teardown
        /// A brand-new connection reads the lamp after the teardown.
        case afterTeardownRead
    }

    public var phase: Phase
    /// The test session, or the observer for `committedRead`.
    public var session: String

    public init(_ phase: Phase, session: String) {
        self.phase = phase
        self.session = session
    }

    /// e.g. `close S1`.
    public var description: String {
        switch phase {
        case .assertion: return "the test's assertion reads the object"
        case .transactionRead: return "what \(session)'s transaction sees"
        case .close: return "close \(session)"
        case .committedRead: return "the committed status, on a fresh connection"
        case .otherConnectionRead: return "what a brand-new connection sees during the test"
        case .teardown: return "the fixture's teardown"
        case .afterTeardownRead: return "what a brand-new connection sees after the teardown"
        }
    }

    /// `observe: close S1`.
    public var title: String { "observe: \(description)" }
}
