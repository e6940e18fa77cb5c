import LampSession
import TestSupport
import Testing
import Postgres

/// rollback and close: what SQL they send and what becomes of the objects.
@Suite("Rollback and close", .bounded)
struct RollbackCloseTests {
    @Test("rollback with no transaction (after commit, nothing added) is a no-op: no SQL, nothing expired")
    func rollbackWithoutTransaction() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false)
        let lamp = try session.addCommittedLamp()
        #expect(!session.hasSessionTransaction)
        db.trace.clear()

        try session.rollback()

        #expect(db.trace.statements(of: "S1") == [])
        #expect(lamp.expiredAttributes == [])
        #expect(lamp.state == .persistent)
        #expect(db.trace.events(of: "S1").contains { if case .noOp(operation: "rollback", _) = $0 { true } else { false } })
        #expect(!db.trace.events(of: "S1").contains { if case .expired = $0 { true } else { false } })
    }

    @Test("rollback with an open transaction: ROLLBACK, everything expired even without expire_on_commit")
    func rollbackWithTransaction() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false)
        let lamp = try session.addCommittedLamp()
        let other = try session.addCommittedLamp()
        try session.refresh(lamp)
        db.trace.clear()

        try session.rollback()

        #expect(db.trace.statements(of: "S1") == ["ROLLBACK"])
        #expect(session.connection.transactionStatus == .idle)
        #expect(!session.hasDatabaseTransaction)
        #expect(!session.hasSessionTransaction)
        #expect(lamp.expiredAttributes == ["status"])
        #expect(other.expiredAttributes == ["status"])
        #expect(lamp.state == .persistent)
    }

    @Test("rollback undoes a flushed UPDATE and the object reloads the old value")
    func rollbackUndoesFlush() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        lamp.setStatus("on")
        try session.flush()

        try session.rollback()

        #expect(try lamp.status() == "off")
        #expect(try db.committedStatus(id: lamp.id()) == "off")
    }

    @Test("a pending object added in an open transaction becomes transient on rollback")
    func pendingBecomesTransient() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let existing = try session.addCommittedLamp()
        try session.refresh(existing)
        let new = Lamp.new()
        try session.add(new)
        db.trace.clear()

        try session.rollback()

        #expect(db.trace.statements(of: "S1") == ["ROLLBACK"])
        #expect(new.state == .transient)
        #expect(new.key == nil)
        #expect(!session.contains(new))
        #expect(existing.expiredAttributes == ["status"])
    }

    @Test("an object INSERTed in the rolled-back transaction becomes transient and loses its key")
    func flushedNewBecomesTransient() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let new = Lamp.new()
        try session.add(new)
        try session.flush()
        let id = try new.id()
        #expect(new.state == .persistent)

        try session.rollback()

        #expect(new.state == .transient)
        #expect(new.key == nil)
        #expect(!session.contains(new))
        #expect(try session.select(Lamp.model, key: id) == nil)
        #expect(try db.committedCount() == 0)
    }

    @Test("rollback after add alone: no SQL, yet the pending object is expunged and the rest expired")
    func rollbackAfterAddAlone() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false)
        let existing = try session.addCommittedLamp()
        let new = Lamp.new()
        try session.add(new)
        #expect(session.hasSessionTransaction, "add begins the session transaction")
        #expect(!session.hasDatabaseTransaction, "but sends no BEGIN")
        db.trace.clear()

        try session.rollback()

        #expect(db.trace.statements(of: "S1") == [])
        #expect(new.state == .transient)
        #expect(!session.contains(new))
        #expect(existing.expiredAttributes == ["status"])
        #expect(!session.hasSessionTransaction)
    }

    @Test("close rolls back an open transaction; pending objects become transient, persistent ones detached with their values")
    func closeWithTransaction() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false)
        let lamp = try session.addCommittedLamp()
        try session.refresh(lamp)
        lamp.setStatus("on")
        try session.flush()
        let pending = Lamp.new()
        try session.add(pending)
        db.trace.clear()

        try session.close()

        #expect(db.trace.statements(of: "S1") == ["ROLLBACK"])
        #expect(session.connection.transactionStatus == .idle)
        #expect(!session.hasDatabaseTransaction)
        #expect(!session.hasSessionTransaction)
        #expect(pending.state == .transient)
        #expect(lamp.state == .detached)
        #expect(lamp.peek("status") == .some("on"), "close does not expire: the object keeps what it had")
        #expect(try lamp.status() == "on")
        #expect(try db.committedStatus(id: lamp.id()) == "off", "the flushed UPDATE was rolled back")
        #expect(session.persistentObjects.isEmpty)
    }

    @Test("close with no transaction open emits nothing and still detaches")
    func closeWithoutTransaction() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        try session.close()

        #expect(db.trace.statements(of: "S1") == [])
        #expect(lamp.state == .detached)
        #expect(db.trace.events(of: "S1").contains(.expunged(object: lamp.label, nowState: .detached)))
    }

    /// SQLAlchemy's close expunges before ending the transaction: an object INSERTed in that
    /// transaction is detached (it keeps its key), not made transient as rollback would do.
    @Test("close: an object INSERTed in the rolled-back transaction is detached with its key")
    func closeDetachesFlushedNew() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let new = Lamp.new()
        try session.add(new)
        try session.flush()
        let id = try new.id()

        try session.close()

        #expect(new.state == .detached)
        #expect(new.key == id)
        #expect(try db.committedCount() == 0)
    }

    @Test("the session is usable after close and after rollback")
    func usableAfterwards() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        try session.close()

        let again = try session.lamp(lamp.id())
        again.setStatus("on")
        try session.commit()
        try session.rollback()

        #expect(try db.committedStatus(id: lamp.id()) == "on")
        #expect(try again.status() == "on")
    }
}
