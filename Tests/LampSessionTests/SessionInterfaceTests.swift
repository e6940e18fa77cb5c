import LampSession
import TestSupport
import Testing

/// Scenario steps and the application see a session only through `ORMSession`; SQLAlchemy's rules
/// behind it must be the same as when the class is used directly.
@Suite("Session interface", .bounded)
struct SessionInterfaceTests {
    @Test("through ORMSession, an expired attribute read lazy-loads and each statement records its purpose")
    func purposesThroughTheInterface() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session: any ORMSession = SessionFlavor.sqlalchemy.makeSession(
            connection: try db.connection(), options: SessionOptions(expireOnCommit: true, label: "S1"), trace: db.trace)
        let lamp = Lamp.new()
        try session.add(lamp)
        try session.commit()
        let key = try #require(lamp.key)
        try db.commitStatus("on", id: key)

        #expect(try lamp.status() == "on", "expire_on_commit expired it; the read goes back to the session")
        try session.expire(lamp)
        lamp.setStatus("off")
        try session.flush()
        try session.rollback()

        #expect(db.trace.tracedStatements(of: "S1").map(\.purpose) == [
            .begin(.serverDefault),
            .insert(table: "lamps", values: ["id": .some(String(key)), "status": "off"]),
            .commit,
            .begin(.serverDefault),
            .load(table: "lamps", key: key),
            // expire expired the key too: the flush loads it before the UPDATE (as SQLAlchemy 2.1.9)
            .load(table: "lamps", key: key),
            .update(table: "lamps", key: key, values: ["status": "off"]),
            .rollback,
        ])
        #expect(db.trace.events(of: "S1").contains(.expired(objects: [lamp.label], cause: .commit)))
        #expect(db.trace.events(of: "S1").contains(.expired(objects: [lamp.label], cause: .rollback)))
    }

    @Test("a failed statement keeps its SQLSTATE as a value")
    func failureAsValue() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        #expect(throws: (any Error).self) { try session.execute("SELECT no_such_column FROM lamps") }
        let failed = try #require(db.trace.tracedStatements(of: "S1").last)
        #expect(failed.purpose == .plain)
        #expect(failed.error?.sqlState == "42703")
        #expect(failed.result == nil)
    }
}
