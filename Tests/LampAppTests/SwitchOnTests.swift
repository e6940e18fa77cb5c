import LampApp
import LampSession
import Postgres
import TestSupport
import Testing

/// The application's "switch on" endpoint, with its own session (the default provider).
@Suite("SwitchOn.handle", .bounded)
struct SwitchOnTests {
    private let selectByKey = "SELECT lamps.id, lamps.status FROM lamps WHERE lamps.id = $1"

    /// A schema with one lamp (status `off`); `body` gets the schema and the lamp's id.
    private func withLamp(_ body: (String, Int64) throws -> Void) throws {
        let schema = try TestDatabase.makeSchema()
        defer { TestDatabase.dropSchema(schema) }
        let connection = try TestDatabase.connect(schema: schema)
        let inserted = try connection.execute("INSERT INTO lamps DEFAULT VALUES RETURNING id")
        let id = try #require(Int64(inserted.rows.first?.first.flatMap { $0 } ?? ""))
        connection.close()
        try body(schema, id)
    }

    private func committedStatus(_ id: Int64, in schema: String) throws -> String? {
        let connection = try TestDatabase.connect(schema: schema)
        defer { connection.close() }
        return try connection.execute("SELECT status FROM lamps WHERE id = $1", [String(id)]).rows.first?.first ?? nil
    }

    /// The application's own session on a new connection, closed by the handler when it is done.
    private func ownSession(_ schema: String, trace: Trace) -> SessionProvider {
        .own {
            SQLAlchemySession(connection: try TestDatabase.connect(schema: schema),
                    options: SQLAlchemySession.Options(label: "app"), trace: trace)
        }
    }

    @Test("with its own session it commits: another connection reads on")
    func commits() throws {
        try withLamp { schema, id throws in
            let trace = Trace()
            let response = try SwitchOn.handle(id: id, provider: ownSession(schema, trace: trace), mode: .commit)

            #expect(response.id == id)
            #expect(response.before == "off")
            #expect(response.after == "on")
            #expect(try committedStatus(id, in: schema) == "on")
            // select, set, commit, refresh (a new transaction), then close ends it.
            #expect(trace.statements(of: "app") == [
                "BEGIN", selectByKey, "UPDATE lamps SET status=$1 WHERE lamps.id = $2", "COMMIT",
                "BEGIN", selectByKey, "ROLLBACK",
            ])
        }
    }

    @Test("in flush mode nothing is committed: the session's end rolls the UPDATE back")
    func flushOnly() throws {
        try withLamp { schema, id throws in
            let trace = Trace()
            let response = try SwitchOn.handle(id: id, provider: ownSession(schema, trace: trace), mode: .flush)

            #expect(response.before == "off")
            #expect(response.after == "on", "inside its own transaction the app saw its UPDATE")
            #expect(try committedStatus(id, in: schema) == "off")
            #expect(trace.statements(of: "app") == [
                "BEGIN", selectByKey, "UPDATE lamps SET status=$1 WHERE lamps.id = $2", selectByKey, "ROLLBACK",
            ])
        }
    }

    @Test("a missing lamp throws lampNotFound and changes nothing")
    func missingLamp() throws {
        try withLamp { schema, id throws in
            let missing = id + 1000
            #expect(throws: LampAppError.lampNotFound(missing)) {
                try SwitchOn.handle(id: missing, provider: ownSession(schema, trace: Trace()))
            }
            #expect(try committedStatus(id, in: schema) == "off")
        }
    }

    @Test("with the test's session (dependency override) the session stays open and its object is updated")
    func sharedSession() throws {
        try withLamp { schema, id throws in
            let connection = try TestDatabase.connect(schema: schema)
            defer { connection.close() }
            let session = SQLAlchemySession(connection: connection, options: SQLAlchemySession.Options(expireOnCommit: false))
            let lamp = try #require(try session.select(Lamp.model, key: id))

            _ = try SwitchOn.handle(id: id, provider: .shared(session), mode: .commit)

            #expect(lamp.state == .persistent, "the handler must not close a shared session")
            #expect(lamp.peek("status") == .some("on"))
            try session.close()
            #expect(try committedStatus(id, in: schema) == "on")
        }
    }
}
