import Postgres

/// A statement a session sent, with its parameters and what came back.
public struct TracedStatement: Sendable, Equatable {
    public var sql: String
    public var parameters: [String?]
    /// The result, when the statement succeeded.
    public var result: QueryResult?
    /// The error message, when it failed.
    public var error: String?

    public init(sql: String, parameters: [String?], result: QueryResult? = nil, error: String? = nil) {
        self.sql = sql
        self.parameters = parameters
        self.result = result
        self.error = error
    }
}

/// One line of a trace: a statement or an ORM event, labelled with the session it came from.
public struct TraceEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case statement(TracedStatement)
        case event(SessionEvent)
        /// A section marker from the caller (a scenario marks each step it runs).
        case marker(String)
    }

    public var session: String
    public var kind: Kind

    public init(session: String, kind: Kind) {
        self.session = session
        self.kind = kind
    }
}

/// An ordered record of what one or more sessions did. Sessions of one scenario share one trace.
public final class Trace {
    public private(set) var entries: [TraceEntry] = []
    private var lastSerial = 0

    public init() {}

    public func record(_ entry: TraceEntry) { entries.append(entry) }

    public func record(_ event: SessionEvent, session: String) {
        entries.append(TraceEntry(session: session, kind: .event(event)))
    }

    /// The SQL texts in order, optionally for one session only (for tests that pin the unit of work).
    public func statements(of session: String? = nil) -> [String] {
        entries.compactMap { entry in
            guard session == nil || entry.session == session, case let .statement(statement) = entry.kind
            else { return nil }
            return statement.sql
        }
    }

    /// The events in order, optionally for one session only.
    public func events(of session: String? = nil) -> [SessionEvent] {
        entries.compactMap { entry in
            guard session == nil || entry.session == session, case let .event(event) = entry.kind
            else { return nil }
            return event
        }
    }

    /// The next object number: objects are numbered across all sessions sharing this trace.
    func nextSerial() -> Int {
        lastSerial += 1
        return lastSerial
    }

    /// Records a caller's section marker (e.g. the scenario step about to run).
    public func mark(_ text: String, session: String) {
        entries.append(TraceEntry(session: session, kind: .marker(text)))
    }

    /// Forgets everything recorded so far.
    public func clear() { entries.removeAll() }
}
