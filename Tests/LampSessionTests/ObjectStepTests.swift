import LampSession
import Postgres
import TestSupport
import Testing

/// get, select ... FOR UPDATE, refresh of one attribute, expunge and add back, as measured on
/// SQLAlchemy 2.1.9 (docs/measurements/sqlalchemy-test-suites.md, section 2).
@Suite("Object operations", .bounded)
struct ObjectStepTests {
    @Test("get of a loaded object: the same object, stale, no SQL and no autobegin")
    func getHit() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try db.commitStatus("on", id: key)
        db.trace.clear()
        let found = try #require(try session.get(Lamp.model, key: key))
        #expect(found === lamp)
        #expect(try found.status() == "off")
        #expect(db.trace.statements(of: "S1") == [])
        #expect(!session.hasSessionTransaction && !session.hasDatabaseTransaction)
    }

    @Test("get of an expired object loads it by key (BEGIN + SELECT)")
    func getExpired() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try db.commitStatus("on", id: key)
        try session.expire(lamp)
        db.trace.clear()
        #expect(try session.get(Lamp.model, key: key) === lamp)
        #expect(try lamp.status() == "on")
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
    }

    @Test("SELECT ... FOR UPDATE locks the row but keeps the loaded 'off'; refresh of status alone overwrites it")
    func forUpdateThenRefreshStatus() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try db.commitStatus("on", id: key)
        db.trace.clear()
        #expect(try session.selectForUpdate(Lamp.model, key: key) === lamp)
        #expect(try lamp.status() == "off")
        let other = try db.connection()
        try other.execute("SET lock_timeout = '50ms'")
        #expect(throws: PostgresError.self) { try other.execute("SELECT 1 FROM lamps WHERE id = $1 FOR UPDATE NOWAIT", [String(key)]) }
        try session.refresh(lamp, attributes: ["status"])
        #expect(try lamp.status() == "on")
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey + " FOR UPDATE", "SELECT lamps.status FROM lamps WHERE lamps.id = $1"])
    }

    @Test("refresh of a lamp whose row was deleted raises InvalidRequestError's case, not ObjectDeletedError")
    func refreshDeleted() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try db.connection().execute("DELETE FROM lamps WHERE id = $1", [String(key)])
        #expect(throws: SessionError.refreshFoundNoRow(key: key)) { try session.refresh(lamp) }
        #expect(throws: SessionError.refreshFoundNoRow(key: key)) { try session.refresh(lamp, attributes: ["status"]) }
    }

    @Test("autoflush=false: a select sends only the SELECT and keeps the test's unsent change; autoflush=true writes it first")
    func autoflushFalse() throws {
        for autoflush in [false, true] {
            let db = try SessionFixture()
            defer { db.tearDown() }
            let session = SQLAlchemySession(connection: try db.connection(),
                                            options: SessionOptions(expireOnCommit: false, label: "S1", autoflush: autoflush), trace: db.trace)
            let lamp = try session.addCommittedLamp()
            let key = try #require(lamp.key)
            lamp.setStatus("on")
            db.trace.clear()
            #expect(try session.select(Lamp.model, key: key) === lamp)
            #expect(try lamp.status() == "on")
            let sent = db.trace.statements(of: "S1")
            #expect(sent.contains { $0.hasPrefix("UPDATE") } == autoflush, "\(sent)")
            #expect(sent.last == LampSQL.selectByKey)
        }
    }

    @Test("expunge, then add back: persistent again, not expired, and a select keeps its value")
    func expungeAdd() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try session.expunge(lamp)
        #expect(lamp.state == .detached)
        try db.commitStatus("on", id: key)
        try session.add(lamp)
        #expect(lamp.state == .persistent)
        #expect(try session.select(Lamp.model, key: key) === lamp)
        #expect(try lamp.status() == "off")
        db.trace.clear()
        try session.commit()
        #expect(db.trace.statements(of: "S1") == ["COMMIT"], "nothing was modified: no UPDATE")
    }
}
