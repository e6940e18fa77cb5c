import LampSession
import Postgres
import TestSupport
import Testing

/// SQLAlchemy's AsyncSession, as measured (docs/measurements/sqlalchemy-test-suites.md, section 1):
/// a plain read of an expired attribute raises MissingGreenlet and sends nothing; an awaited read loads.
@Suite("Async session", .bounded)
struct AsyncSessionTests {
    static func asyncSession(_ db: SessionFixture, expireOnCommit: Bool = false, isolation: IsolationLevel = .serverDefault) throws -> SQLAlchemySession {
        SQLAlchemySession(connection: try db.connection(),
                          options: SessionOptions(expireOnCommit: expireOnCommit, isolation: isolation, label: "S1"),
                          trace: db.trace, loadsImplicitly: false)
    }

    @Test("expire_on_commit: a plain read after commit raises MissingGreenlet, every time, with no SQL and no BEGIN, yet the session is in a transaction")
    func plainReadRaises() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try Self.asyncSession(db, expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        db.trace.clear()
        #expect(throws: SessionError.missingGreenlet(column: "status", key: lamp.key)) { try lamp.status() }
        #expect(throws: SessionError.missingGreenlet(column: "id", key: lamp.key)) { try lamp.identity(awaited: false) }
        #expect(db.trace.statements(of: "S1") == [], "nothing is sent")
        #expect(session.hasSessionTransaction, "SQLAlchemy's session autobegan (in_transaction() is True)")
        #expect(!session.hasDatabaseTransaction, "but no BEGIN reached the server: no snapshot yet")
    }

    @Test("an awaited read loads the expired attribute (BEGIN + SELECT by key), and a plain read works afterwards")
    func awaitedReadLoads() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try Self.asyncSession(db, expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        try db.commitStatus("on", id: lamp.key ?? 0)
        db.trace.clear()
        #expect(try lamp.value("status", awaited: true) == "on")
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        #expect(try lamp.status() == "on")
    }

    @Test("a sync session's read of lamp.id after commit loads the whole row and opens a transaction")
    func syncIdentityLoads() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        db.trace.clear()
        #expect(try lamp.identity(awaited: false) == lamp.key)
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        #expect(lamp.expiredAttributes.isEmpty, "status was loaded with it")
        #expect(session.hasDatabaseTransaction)
    }
}
