import LampSession
import Postgres
import TestSupport
import Testing

/// The second layer of staleness: the snapshot of the session's own transaction.
@Suite("Isolation levels", .bounded)
struct IsolationTests {
    @Test("a transaction opened before another connection commits: what even refresh sees", arguments: [
        (IsolationLevel.readCommitted, "on"),
        (.repeatableRead, "off"),
        (.serializable, "off"),
    ])
    func refreshInsideOldTransaction(_ level: IsolationLevel, _ expected: String) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: level)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try session.refresh(lamp)  // autobegin; the snapshot is taken here under RR/serializable
        #expect(session.hasDatabaseTransaction)

        try db.commitStatus("on", id: id)
        db.trace.clear()
        try session.refresh(lamp)

        #expect(db.trace.statements(of: "S1") == [LampSQL.selectByKey], "the same transaction, no new BEGIN")
        #expect(lamp.peek("status") == .some(expected))
        #expect(try session.statusInTransaction(id) == expected)
        #expect(try db.committedStatus(id: id) == "on")
    }

    @Test("once the old transaction ends, the next one sees the committed value", arguments: [
        IsolationLevel.repeatableRead, .serializable,
    ])
    func newTransactionSeesCommit(_ level: IsolationLevel) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: level)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try session.refresh(lamp)
        try db.commitStatus("on", id: id)
        try session.refresh(lamp)
        #expect(lamp.peek("status") == .some("off"))

        try session.rollback()
        db.trace.clear()
        try session.refresh(lamp)

        #expect(db.trace.statements(of: "S1") == [level.beginSQL, LampSQL.selectByKey])
        #expect(lamp.peek("status") == .some("on"))
    }

    @Test("the transaction runs at the configured level", arguments: [
        (IsolationLevel.readCommitted, "read committed"),
        (.repeatableRead, "repeatable read"),
        (.serializable, "serializable"),
    ])
    func transactionIsolation(_ level: IsolationLevel, _ setting: String) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: level)

        let result = try session.execute("SELECT current_setting('transaction_isolation')")

        #expect(result.rows == [[setting]])
        #expect(db.trace.statements(of: "S1").first == level.beginSQL)
    }

    @Test(".serverDefault sends plain BEGIN and runs at the server's default_transaction_isolation")
    func serverDefault() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: .serverDefault)

        let isolation = try session.execute("SELECT current_setting('transaction_isolation')").rows.first?.first ?? nil
        let serverDefault = try db.connection().execute("SHOW default_transaction_isolation").rows.first?.first ?? nil

        #expect(db.trace.statements(of: "S1").first == "BEGIN")
        #expect(isolation != nil)
        #expect(isolation == serverDefault)
    }

    @Test(".serverDefault follows a changed default_transaction_isolation (it sets nothing itself)")
    func serverDefaultFollowsSetting() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let connection = try db.connection()
        try connection.execute("SET default_transaction_isolation = 'repeatable read'")
        let session = SQLAlchemySession(connection: connection,
                              options: SQLAlchemySession.Options(expireOnCommit: false, isolation: .serverDefault, label: "S1"),
                              trace: db.trace)

        let isolation = try session.execute("SELECT current_setting('transaction_isolation')").rows

        #expect(isolation == [["repeatable read"]])
        #expect(db.trace.statements(of: "S1").first == "BEGIN")
    }

    @Test("autobegin: the first statement after commit, rollback or close begins a new transaction that stays open")
    func autobeginAfterEachEnd() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: .repeatableRead)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()

        for end in ["commit", "rollback", "close"] {
            switch end {
            case "commit": try session.commit()
            case "rollback": try session.rollback()
            default: try session.close()
            }
            #expect(!session.hasDatabaseTransaction, "after \(end)")
            #expect(session.connection.transactionStatus == .idle, "after \(end)")
            db.trace.clear()

            _ = try session.lamp(id)

            #expect(db.trace.statements(of: "S1") == ["BEGIN ISOLATION LEVEL REPEATABLE READ", LampSQL.selectByKey],
                    "after \(end)")
            #expect(session.hasDatabaseTransaction, "after \(end)")
            #expect(session.connection.transactionStatus == .inTransaction, "after \(end)")
        }
    }
}
