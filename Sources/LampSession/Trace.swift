public import Postgres

/// Why a statement failed, kept as values (the SQLSTATE and the server's message).
public struct StatementFailure: Sendable, Equatable, Codable, CustomStringConvertible {
    public var message: String
    public var sqlState: String?

    public init(message: String, sqlState: String? = nil) {
        self.message = message
        self.sqlState = sqlState
    }

    public init(_ error: PostgresError) {
        self.init(message: error.message, sqlState: error.sqlState?.rawValue)
    }

    /// As `PostgresError` prints it: the message and the SQLSTATE.
    public var description: String { sqlState.map { "\(message) (SQLSTATE \($0))" } ?? message }
}

/// A statement a session sent: what it was for, its SQL text and parameters, and what came back.
public struct TracedStatement: Sendable, Equatable, Codable {
    public var purpose: StatementPurpose
    public var sql: String
    public var parameters: [String?]
    /// The result, when the statement succeeded.
    public var result: QueryResult?
    /// Why it failed, when it did.
    public var error: StatementFailure?
    /// The server that ran it (`primary`, `standby`), in runs with more than one; nil otherwise.
    public var server: String?

    public init(purpose: StatementPurpose, sql: String, parameters: [String?],
                result: QueryResult? = nil, error: StatementFailure? = nil, server: String? = nil) {
        self.purpose = purpose
        self.sql = sql
        self.parameters = parameters
        self.result = result
        self.error = error
        self.server = server
    }

    /// True when it returned rows (a load, or a plain read).
    public var isRead: Bool {
        guard error == nil, let result else { return false }
        if case .load = purpose { return true }
        return purpose == .plain && !result.columns.isEmpty
    }
}

/// One entry of a session's event log: a statement or an ORM event, labelled with its session.
public struct TraceEntry: Sendable, Equatable, Codable {
    public enum Kind: Sendable, Equatable, Codable {
        case statement(TracedStatement)
        case event(SessionEvent)
    }

    public var session: String
    public var kind: Kind

    public init(session: String, kind: Kind) {
        self.session = session
        self.kind = kind
    }
}

/// An ordered record of what one or more sessions did. Sessions of one scenario share one trace.
/// Not Sendable: it belongs to the sessions (and thread) that record into it.
public final class Trace {
    public private(set) var entries: [TraceEntry] = []
    /// When each entry was recorded (a statement: when its answer came), parallel to `entries`.
    public private(set) var recordedAt: [ContinuousClock.Instant] = []
    private var lastSerial = 0

    public init() {}

    public func record(_ entry: TraceEntry) {
        entries.append(entry)
        recordedAt.append(.now)
    }

    public func record(_ event: SessionEvent, session: String) {
        record(TraceEntry(session: session, kind: .event(event)))
    }

    public func record(_ statement: TracedStatement, session: String) {
        record(TraceEntry(session: session, kind: .statement(statement)))
    }

    /// Records a statement sent on `connection`, with the server that connection is on.
    public func record(_ statement: TracedStatement, session: String, on connection: Connection) {
        var statement = statement
        statement.server = connection.server
        record(statement, session: session)
    }

    /// Sends a statement on `connection` and records it for `session`, with its purpose (what
    /// `completed` gives once the result is known, if given), its result, or why it failed: the
    /// server's error, or a wait cancelled on lampctl's side (a blocked step).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?], purpose: StatementPurpose, session: String, on connection: Connection,
                        completed: ((QueryResult) -> StatementPurpose)? = nil) throws -> QueryResult {
        do {
            let result = try connection.execute(sql, parameters)
            record(TracedStatement(purpose: completed?(result) ?? purpose, sql: sql, parameters: parameters, result: result),
                   session: session, on: connection)
            return result
        } catch let error as PostgresError {
            record(TracedStatement(purpose: purpose, sql: sql, parameters: parameters, error: StatementFailure(error)),
                   session: session, on: connection)
            throw error
        } catch {
            record(TracedStatement(purpose: purpose, sql: sql, parameters: parameters, error: StatementFailure(message: "\(error)")),
                   session: session, on: connection)
            throw error
        }
    }

    /// How long the statement at `index` took, from the entry before it (the session's previous
    /// statement, recorded when its answer came) to its own answer; nil for the first entry.
    public func milliseconds(of index: Int) -> Int? {
        guard index > 0, index < recordedAt.count else { return nil }
        let elapsed = recordedAt[index] - recordedAt[index - 1]
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The SQL texts in order, optionally for one session only (for tests that pin the unit of work).
    public func statements(of session: String? = nil) -> [String] {
        tracedStatements(of: session).map(\.sql)
    }

    /// The statements in order, with their purposes, optionally for one session only.
    public func tracedStatements(of session: String? = nil) -> [TracedStatement] {
        entries.compactMap { entry in
            guard session == nil || entry.session == session, case let .statement(statement) = entry.kind
            else { return nil }
            return statement
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

    /// Forgets everything recorded so far.
    public func clear() { entries.removeAll() }
}
