import LampSession
import Postgres
import TestSupport
import Testing

/// A changed object whose key expired, a failed flush, and merge's autoflush, as measured on
/// SQLAlchemy 2.1.9 (tools/measure/fuzz_seeds.py; fuzz seeds 122, 279, 1319).
@Suite("Expired key at flush, failed flush, merge's autoflush", .bounded)
struct ExpiredKeyFlushTests {
    static let selectKey = "SELECT lamps.id FROM lamps WHERE lamps.id = $1"

    @Test("a changed expired object: the flush loads its key before the UPDATE")
    func flushLoadsExpiredKey() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        lamp.setStatus("on")
        db.trace.clear()
        try session.flush()
        #expect(db.trace.statements(of: "S1") == ["BEGIN", Self.selectKey, LampSQL.updateStatus])
    }

    @Test("its row gone: ObjectDeletedError, then PendingRollbackError until rollback")
    func flushOfDeletedRow() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        lamp.setStatus("on")
        try db.deleteLamp(id: key)
        db.trace.clear()
        #expect(throws: SessionError.objectDeleted(key: key)) { try session.flush() }
        #expect(db.trace.statements(of: "S1") == ["BEGIN", Self.selectKey, "ROLLBACK"])
        #expect { try session.execute("SELECT 1") } throws: { Self.isPendingRollback($0) }
        #expect { try session.commit() } throws: { Self.isPendingRollback($0) }
        try session.rollback()
        #expect(try session.execute("SELECT 1").rows.first?.first == "1")
        try session.close()
    }

    @Test("get of that object: the object leaves the session as deleted, get raises PendingRollbackError")
    func getOfDeletedRow() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        lamp.setStatus("on")
        try db.deleteLamp(id: key)
        #expect { _ = try session.get(Lamp.model, key: key) } throws: { Self.isPendingRollback($0) }
        #expect(lamp.state == .deleted && !session.contains(lamp))
        try session.close()
    }

    @Test("get of an unchanged expired object whose row is gone: two SELECTs, None, the object deleted")
    func getOfDeletedRowUnchanged() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try db.deleteLamp(id: key)
        db.trace.clear()
        #expect(try session.get(Lamp.model, key: key) == nil)
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey, LampSQL.selectByKey])
        #expect(lamp.state == .deleted)
        try session.rollback()
        #expect(lamp.state == .persistent, "the rollback brings it back, as a flushed DELETE")
    }

    @Test("merge of a changed object already in the session flushes it first")
    func mergeAutoflushes() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        lamp.setStatus("on")
        db.trace.clear()
        #expect(try session.merge(lamp) === lamp)
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.updateStatus])
        try session.close()
    }

    @Test("merge of a detached object with an expired key whose row is gone: a pending object without the key")
    func mergeExpiredDeletedRow() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        try session.expunge(lamp)
        try db.deleteLamp(id: key)
        let merged = try session.merge(lamp)
        #expect(merged.state == .pending && merged.key == nil)
        #expect(try merged.status() == nil)
        try session.commit()
        #expect(merged.key != nil && merged.key != key)
        #expect(try db.committedStatus(id: key) == nil)
    }

    /// Whether `error` is the session's PendingRollbackError.
    static func isPendingRollback(_ error: any Error) -> Bool {
        if case .pendingRollback? = error as? SessionError { true } else { false }
    }
}
