import LampSession
import TestSupport
import Testing
import Postgres

/// The exact SQL each session operation emits (what SQLAlchemy 2.0.36 + psycopg2 logs through the
/// engine events `begin`, `before_cursor_execute`, `commit` and `rollback`, with `$n` placeholders).
@Suite("Unit of work: emitted SQL", .bounded)
struct UnitOfWorkSQLTests {
    @Test("add + commit: BEGIN, INSERT ... DEFAULT VALUES RETURNING id and the server default, COMMIT")
    func addCommit() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()

        let lamp = Lamp.new()
        try session.add(lamp)
        #expect(db.trace.statements(of: "S1").isEmpty, "add alone sends nothing")
        #expect(lamp.state == .pending)
        try session.commit()

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.insertDefault, "COMMIT"])
        #expect(db.trace.parameters(of: "S1")[1] == [])
        #expect(lamp.state == .persistent)
        #expect(lamp.peek("status") == .some("off"), "the server default came back with RETURNING")
        #expect(try db.committedStatus(id: lamp.id()) == "off")
    }

    @Test("add of a lamp with a status: INSERT (status) VALUES ($1) RETURNING lamps.id")
    func addWithStatus() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()

        let lamp = try session.addCommittedLamp(status: "on")

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.insertWithStatus, "COMMIT"])
        #expect(db.trace.parameters(of: "S1")[1] == ["on"])
        #expect(try db.committedStatus(id: lamp.id()) == "on")
    }

    @Test("expire emits no SQL and opens no transaction")
    func expireEmitsNothing() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        try session.expire(lamp)

        #expect(db.trace.statements(of: "S1") == [])
        #expect(!session.hasDatabaseTransaction)
        #expect(session.connection.transactionStatus == .idle)
        #expect(lamp.expiredAttributes == ["status"])
    }

    @Test("expireAll emits no SQL and opens no transaction")
    func expireAllEmitsNothing() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let first = try session.addCommittedLamp()
        let second = try session.addCommittedLamp()
        db.trace.clear()

        session.expireAll()

        #expect(db.trace.statements(of: "S1") == [])
        #expect(!session.hasDatabaseTransaction)
        #expect(session.connection.transactionStatus == .idle)
        #expect(first.expiredAttributes == ["status"])
        #expect(second.expiredAttributes == ["status"])
    }

    @Test("refresh on an idle session: BEGIN, then one SELECT by key, and the transaction stays open")
    func refreshOnIdleSession() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        try session.refresh(lamp)

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        #expect(db.trace.parameters(of: "S1")[1] == [String(try lamp.id())])
        #expect(session.hasDatabaseTransaction)
        #expect(session.connection.transactionStatus == .inTransaction)
    }

    @Test("commit with nothing dirty inside an open transaction emits only COMMIT")
    func commitNothingDirty() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        try session.refresh(lamp)
        db.trace.clear()

        try session.commit()

        #expect(db.trace.statements(of: "S1") == ["COMMIT"])
        #expect(session.connection.transactionStatus == .idle)
    }

    @Test("commit with nothing dirty and no transaction open emits nothing")
    func commitWithoutTransaction() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        _ = try session.addCommittedLamp()
        db.trace.clear()

        try session.commit()

        #expect(db.trace.statements(of: "S1") == [])
    }

    @Test("a dirty object's UPDATE sets only the changed column, by key")
    func updateChangedColumnOnly() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        lamp.setStatus("on")
        #expect(lamp.changedAttributes == ["status"])
        try session.commit()

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.updateStatus, "COMMIT"])
        #expect(db.trace.parameters(of: "S1")[1] == ["on", String(try lamp.id())])
        #expect(lamp.changedAttributes == [])
        #expect(try db.committedStatus(id: lamp.id()) == "on")
    }

    @Test("flush writes the UPDATE inside the transaction and leaves it open")
    func flushKeepsTransactionOpen() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        lamp.setStatus("on")
        try session.flush()

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.updateStatus])
        #expect(session.connection.transactionStatus == .inTransaction)
        #expect(try db.committedStatus(id: lamp.id()) == "off", "not committed yet")
    }

    /// SQLAlchemy marks the object dirty on any set; its flush then checks out the connection
    /// (BEGIN) even though the value did not change and no UPDATE is needed. Measured with
    /// SQLAlchemy 2.0.36: `p.status = "off"` (already "off"); `commit()` logs BEGIN, COMMIT.
    @Test("setting an attribute to its current value: no UPDATE, but the flush still begins (BEGIN, COMMIT)")
    func setToSameValue() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        lamp.setStatus("off")
        try session.commit()

        #expect(!db.trace.statements(of: "S1").contains(LampSQL.updateStatus))
        #expect(db.trace.statements(of: "S1") == ["BEGIN", "COMMIT"])
    }

    @Test("rollback after commit emits nothing")
    func rollbackAfterCommit() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        _ = try session.addCommittedLamp()
        db.trace.clear()

        try session.rollback()

        #expect(db.trace.statements(of: "S1") == [])
    }

    @Test("autoflush before a query: the pending change is written before the SELECT")
    func autoflushBeforeQuery() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        lamp.setStatus("on")
        let loaded = try session.lamp(lamp.id())

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.updateStatus, LampSQL.selectByKey])
        #expect(loaded === lamp)
        #expect(try session.statusInTransaction(lamp.id()) == "on")
    }

    @Test("autoflush before a query: a pending new object is INSERTed before the SELECT")
    func autoflushInsertBeforeQuery() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let existing = try session.addCommittedLamp()
        db.trace.clear()

        let new = Lamp.new()
        try session.add(new)
        _ = try session.lamp(existing.id())

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.insertDefault, LampSQL.selectByKey])
        #expect(new.state == .persistent)
    }

    @Test("autoflush before refresh: another object's change is written before the SELECT")
    func autoflushBeforeRefresh() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let dirty = try session.addCommittedLamp()
        let refreshed = try session.addCommittedLamp()
        db.trace.clear()

        dirty.setStatus("on")
        try session.refresh(refreshed)

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.updateStatus, LampSQL.selectByKey])
        #expect(db.trace.parameters(of: "S1")[1] == ["on", String(try dirty.id())])
        #expect(db.trace.parameters(of: "S1")[2] == [String(try refreshed.id())])
    }

    /// SQLAlchemy's `Session.refresh` expires the object first and autoflushes after, so the
    /// object's own unflushed change is discarded: no UPDATE, and the row's value comes back.
    /// Measured with SQLAlchemy 2.0.36: `a.status = "on"; s.refresh(a)` logs BEGIN, SELECT and
    /// leaves `a.status == "off"`.
    @Test("refresh of a dirty object discards its own unflushed change (no UPDATE)")
    func refreshDiscardsOwnChange() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        lamp.setStatus("on")
        try session.refresh(lamp)

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        #expect(lamp.peek("status") == .some("off"))
        try session.commit()
        #expect(try db.committedStatus(id: lamp.id()) == "off")
    }

    /// Reading an expired attribute runs a query through the session, which autoflushes (the
    /// lazy load passes no NO_AUTOFLUSH flag). Measured with SQLAlchemy 2.0.36: `a.status = "on";
    /// s.expire(b); b.status` logs BEGIN, UPDATE (of a), SELECT (of b).
    @Test("autoflush before loading an expired attribute: another object's change is written first")
    func autoflushBeforeLazyLoad() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let dirty = try session.addCommittedLamp()
        let expired = try session.addCommittedLamp()
        db.trace.clear()

        dirty.setStatus("on")
        try session.expire(expired)
        _ = try expired.status()

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.updateStatus, LampSQL.selectByKey])
    }

    @Test("each isolation level opens its transactions with its own BEGIN", arguments: [
        (IsolationLevel.readCommitted, "BEGIN ISOLATION LEVEL READ COMMITTED"),
        (.repeatableRead, "BEGIN ISOLATION LEVEL REPEATABLE READ"),
        (.serializable, "BEGIN ISOLATION LEVEL SERIALIZABLE"),
        (.serverDefault, "BEGIN"),
    ])
    func beginPerIsolationLevel(_ level: IsolationLevel, _ begin: String) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: level)

        let lamp = try session.addCommittedLamp()
        try session.refresh(lamp)

        #expect(db.trace.statements(of: "S1") == [begin, LampSQL.insertDefault, "COMMIT", begin, LampSQL.selectByKey])
        #expect(db.trace.events(of: "S1").filter { $0 == .autobegin(level) }.count == 2)
    }
}
