import LampSession
import Postgres
import TestSupport
import Testing

/// merge, delete and a list query, as measured on SQLAlchemy 2.1.9 (tools/measure/named_lamps.py).
@Suite("merge, delete, select-all", .bounded)
struct MergeDeleteTests {
    @Test("merge of a stale detached object: SELECT, a new object with the old value copied over; commit writes it back")
    func mergeStaleDetached() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        _ = try lamp.status()
        try session.expunge(lamp)
        try db.commitStatus("on", id: key)
        db.trace.clear()
        let merged = try session.merge(lamp)
        #expect(merged !== lamp)
        #expect(try merged.status() == "off")
        #expect(lamp.state == .detached)
        try session.commit()
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey, LampSQL.updateStatus, "COMMIT"])
        #expect(try db.committedStatus(id: key) == "off")
    }

    @Test("merge of an object already in the session returns it, with no SQL")
    func mergePersistent() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()
        #expect(try session.merge(lamp) === lamp)
        #expect(db.trace.statements(of: "S1") == [])
    }

    @Test("merge of a detached object whose row is gone: a pending object with its key, INSERTed at commit")
    func mergeDeletedRow() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp(status: "on")
        let key = try #require(lamp.key)
        try session.expunge(lamp)
        try db.deleteLamp(id: key)
        db.trace.clear()
        let merged = try session.merge(lamp)
        #expect(merged.state == .pending)
        try session.commit()
        #expect(db.trace.statements(of: "S1") == [
            "BEGIN", LampSQL.selectByKey, "INSERT INTO lamps (id, status) VALUES ($1, $2) RETURNING lamps.id", "COMMIT",
        ])
        #expect(try db.committedStatus(id: key) == "on")
        #expect(merged.key == key && merged.state == .persistent)
    }

    @Test("delete: DELETE at flush, the object leaves the identity map; persistent again on rollback; at commit detached only with expire_on_commit")
    func delete() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let key = try #require(lamp.key)
        db.trace.clear()
        try session.delete(lamp)
        #expect(db.trace.statements(of: "S1") == [])
        try session.flush()
        #expect(db.trace.statements(of: "S1") == ["BEGIN", "DELETE FROM lamps WHERE lamps.id = $1"])
        #expect(lamp.state == .deleted)
        try session.rollback()
        #expect(lamp.state == .persistent)
        #expect(try db.committedStatus(id: key) == "off")
        try session.delete(lamp)
        try session.commit()
        // expire_on_commit=false: it stays deleted, in the session (SQLAlchemy's _remove_snapshot;
        // the random cross-check: expunge then works, add raises InvalidRequestError).
        #expect(lamp.state == .deleted)
        #expect(try db.committedStatus(id: key) == nil)
        #expect(throws: SessionError.self) { try session.add(lamp) }
        let expiring = try db.session("S2", expireOnCommit: true)
        let other = try expiring.addCommittedLamp()
        try expiring.delete(other)
        try expiring.commit()
        #expect(other.state == .detached)
        #expect(throws: SessionError.self) { try expiring.add(other) }
    }

    @Test("select-all: the identity map rule per row; a row with no object becomes a new one")
    func selectAll() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let a = try session.addCommittedLamp()
        let b = try session.addCommittedLamp()
        let (keyA, keyB) = (try #require(a.key), try #require(b.key))
        _ = try a.status()
        try session.expunge(b)
        try db.commitStatus("on", id: keyA)
        try db.commitStatus("on", id: keyB)
        let found = try session.selectAll(Lamp.model, fromKey: keyA)
        #expect(found.count == 2)
        #expect(found.first === a && found.last !== b)
        #expect(try a.status() == "off")
        #expect(try found.last?.status() == "on")
        #expect(found.last?.key == keyB)
    }
}
