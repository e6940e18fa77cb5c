import LampSession
import Postgres
import TestSupport

/// One test's own schema, the sessions it opens on it (sharing one trace), and plain connections
/// that play "another session" (the application, or a fresh reader). `tearDown()` closes every
/// connection, then drops the schema; call it in a `defer` right after creating the fixture.
final class SessionFixture {
    let schema: String
    let trace = Trace()
    private var connections: [Connection] = []

    init() throws {
        schema = try TestDatabase.makeSchema()
    }

    func tearDown() {
        for connection in connections { connection.close() }
        connections.removeAll()
        TestDatabase.dropSchema(schema)
    }

    /// A connection whose search_path is the fixture's schema; closed by `tearDown()`.
    func connection() throws -> Connection {
        let connection = try TestDatabase.connect(schema: schema)
        connections.append(connection)
        return connection
    }

    /// A session on its own connection, recording into the shared trace under `label`.
    /// The default `expireOnCommit: false` is the reference flow's test session.
    func session(_ label: String = "S1", expireOnCommit: Bool = false,
                 isolation: IsolationLevel = .serverDefault) throws -> SQLAlchemySession {
        SQLAlchemySession(connection: try connection(),
                options: SQLAlchemySession.Options(expireOnCommit: expireOnCommit, isolation: isolation, label: label),
                trace: trace)
    }

    /// Inserts a lamp outside any session (autocommit) and returns its id.
    func insertLamp(status: String = "off") throws -> Int64 {
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }
        let result = try connection.execute("INSERT INTO lamps (status) VALUES ($1) RETURNING id", [status])
        guard let text = result.rows.first?.first ?? nil, let id = Int64(text) else { throw MissingLamp(key: -1) }
        return id
    }

    /// Another connection sets the lamp's status and commits (the application's "switch on").
    func commitStatus(_ status: String, id: Int64) throws {
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }
        let result = try connection.execute("UPDATE lamps SET status = $1 WHERE id = $2", [status, String(id)])
        guard result.affectedRows == 1 else { throw MissingLamp(key: id) }
    }

    /// Another connection deletes the lamp and commits.
    func deleteLamp(id: Int64) throws {
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }
        try connection.execute("DELETE FROM lamps WHERE id = $1", [String(id)])
    }

    /// The committed status, read on a fresh connection (`nil` when there is no such lamp).
    func committedStatus(id: Int64) throws -> String? {
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }
        return try connection.execute("SELECT status FROM lamps WHERE id = $1", [String(id)]).rows.first?.first ?? nil
    }

    /// The number of committed lamps, read on a fresh connection.
    func committedCount() throws -> Int {
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }
        return Int(try connection.execute("SELECT count(*) FROM lamps").rows[0][0] ?? "") ?? -1
    }
}

/// The SQL the session emits for Lamp, spelled out once (SQLAlchemy's text with `$n` placeholders).
enum LampSQL {
    static let selectByKey = "SELECT lamps.id, lamps.status FROM lamps WHERE lamps.id = $1"
    static let insertDefault = "INSERT INTO lamps DEFAULT VALUES RETURNING lamps.id, lamps.status"
    static let insertWithStatus = "INSERT INTO lamps (status) VALUES ($1) RETURNING lamps.id"
    static let updateStatus = "UPDATE lamps SET status=$1 WHERE lamps.id = $2"
}

extension SQLAlchemySession {
    /// Adds a new lamp (server default status unless given) and commits; returns it.
    func addCommittedLamp(status: String? = nil) throws -> ORMObject {
        let lamp = Lamp.new(status: status)
        try add(lamp)
        try commit()
        return lamp
    }

    /// The lamp by key through the identity map; throws when there is none.
    func lamp(_ key: Int64, populateExisting: Bool = false) throws -> ORMObject {
        guard let lamp = try select(Lamp.model, key: key, populateExisting: populateExisting) else {
            throw MissingLamp(key: key)
        }
        return lamp
    }

    /// The status this session's current transaction sees with plain SQL (no identity map).
    func statusInTransaction(_ key: Int64) throws -> String? {
        try execute("SELECT status FROM lamps WHERE id = $1", [String(key)]).rows.first?.first ?? nil
    }
}

extension Trace {
    /// The parameters of each statement, in order, for one session.
    func parameters(of session: String) -> [[String?]] {
        entries.compactMap { entry in
            guard entry.session == session, case let .statement(statement) = entry.kind else { return nil }
            return statement.parameters
        }
    }
}

struct MissingLamp: Error, CustomStringConvertible {
    var key: Int64
    var description: String { "no lamp \(key)" }
}

extension ORMObject {
    /// The primary key of a persistent object; throws for one without a key.
    func id() throws -> Int64 {
        guard let key else { throw MissingLamp(key: -1) }
        return key
    }
}
