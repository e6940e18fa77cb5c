import LampApp
import LampSession
import Postgres
import TestSupport
import Testing

/// The reference flow of scenario.md run with lampctl's session for every fix strategy, isolation
/// level, expire_on_commit and application mode, against what real SQLAlchemy did.
///
/// `measured` is the output of `tools/crosscheck.py` (SQLAlchemy 2.0.36 + psycopg2, PostgreSQL 15)
/// over Fixtures/scenarios, one case a line:
/// `strategy isolation expire_on_commit app | object transaction committed same-or-new`, where
/// object is the status the test reads through its session (step 5), transaction what the test
/// session's transaction sees with plain SQL, committed what a fresh connection reads after the
/// test session is closed, and same/new whether step 5 returned the object created in step 1.
@Suite("Reference flow against measured SQLAlchemy", .bounded)
struct ReferenceFlowTests {
    static let measured = """
close             read-committed  eoc=true  app=commit | on  on  on  new
close             read-committed  eoc=true  app=flush  | off off off new
close             read-committed  eoc=false app=commit | on  on  on  new
close             read-committed  eoc=false app=flush  | off off off new
close             repeatable-read eoc=true  app=commit | on  on  on  new
close             repeatable-read eoc=true  app=flush  | off off off new
close             repeatable-read eoc=false app=commit | on  on  on  new
close             repeatable-read eoc=false app=flush  | off off off new
close             serializable    eoc=true  app=commit | on  on  on  new
close             serializable    eoc=true  app=flush  | off off off new
close             serializable    eoc=false app=commit | on  on  on  new
close             serializable    eoc=false app=flush  | off off off new
commit            read-committed  eoc=true  app=commit | on  on  on  same
commit            read-committed  eoc=true  app=flush  | off off off same
commit            read-committed  eoc=false app=commit | off on  on  same
commit            read-committed  eoc=false app=flush  | off off off same
commit            repeatable-read eoc=true  app=commit | on  on  on  same
commit            repeatable-read eoc=true  app=flush  | off off off same
commit            repeatable-read eoc=false app=commit | off on  on  same
commit            repeatable-read eoc=false app=flush  | off off off same
commit            serializable    eoc=true  app=commit | on  on  on  same
commit            serializable    eoc=true  app=flush  | off off off same
commit            serializable    eoc=false app=commit | off on  on  same
commit            serializable    eoc=false app=flush  | off off off same
expire-all        read-committed  eoc=true  app=commit | on  on  on  same
expire-all        read-committed  eoc=true  app=flush  | off off off same
expire-all        read-committed  eoc=false app=commit | on  on  on  same
expire-all        read-committed  eoc=false app=flush  | off off off same
expire-all        repeatable-read eoc=true  app=commit | off off on  same
expire-all        repeatable-read eoc=true  app=flush  | off off off same
expire-all        repeatable-read eoc=false app=commit | off off on  same
expire-all        repeatable-read eoc=false app=flush  | off off off same
expire-all        serializable    eoc=true  app=commit | off off on  same
expire-all        serializable    eoc=true  app=flush  | off off off same
expire-all        serializable    eoc=false app=commit | off off on  same
expire-all        serializable    eoc=false app=flush  | off off off same
expire            read-committed  eoc=true  app=commit | on  on  on  same
expire            read-committed  eoc=true  app=flush  | off off off same
expire            read-committed  eoc=false app=commit | on  on  on  same
expire            read-committed  eoc=false app=flush  | off off off same
expire            repeatable-read eoc=true  app=commit | off off on  same
expire            repeatable-read eoc=true  app=flush  | off off off same
expire            repeatable-read eoc=false app=commit | off off on  same
expire            repeatable-read eoc=false app=flush  | off off off same
expire            serializable    eoc=true  app=commit | off off on  same
expire            serializable    eoc=true  app=flush  | off off off same
expire            serializable    eoc=false app=commit | off off on  same
expire            serializable    eoc=false app=flush  | off off off same
none              read-committed  eoc=true  app=commit | off on  on  same
none              read-committed  eoc=true  app=flush  | off off off same
none              read-committed  eoc=false app=commit | off on  on  same
none              read-committed  eoc=false app=flush  | off off off same
none              repeatable-read eoc=true  app=commit | off off on  same
none              repeatable-read eoc=true  app=flush  | off off off same
none              repeatable-read eoc=false app=commit | off off on  same
none              repeatable-read eoc=false app=flush  | off off off same
none              serializable    eoc=true  app=commit | off off on  same
none              serializable    eoc=true  app=flush  | off off off same
none              serializable    eoc=false app=commit | off off on  same
none              serializable    eoc=false app=flush  | off off off same
populate-existing read-committed  eoc=true  app=commit | on  on  on  same
populate-existing read-committed  eoc=true  app=flush  | off off off same
populate-existing read-committed  eoc=false app=commit | on  on  on  same
populate-existing read-committed  eoc=false app=flush  | off off off same
populate-existing repeatable-read eoc=true  app=commit | off off on  same
populate-existing repeatable-read eoc=true  app=flush  | off off off same
populate-existing repeatable-read eoc=false app=commit | off off on  same
populate-existing repeatable-read eoc=false app=flush  | off off off same
populate-existing serializable    eoc=true  app=commit | off off on  same
populate-existing serializable    eoc=true  app=flush  | off off off same
populate-existing serializable    eoc=false app=commit | off off on  same
populate-existing serializable    eoc=false app=flush  | off off off same
refresh           read-committed  eoc=true  app=commit | on  on  on  same
refresh           read-committed  eoc=true  app=flush  | off off off same
refresh           read-committed  eoc=false app=commit | on  on  on  same
refresh           read-committed  eoc=false app=flush  | off off off same
refresh           repeatable-read eoc=true  app=commit | off off on  same
refresh           repeatable-read eoc=true  app=flush  | off off off same
refresh           repeatable-read eoc=false app=commit | off off on  same
refresh           repeatable-read eoc=false app=flush  | off off off same
refresh           serializable    eoc=true  app=commit | off off on  same
refresh           serializable    eoc=true  app=flush  | off off off same
refresh           serializable    eoc=false app=commit | off off on  same
refresh           serializable    eoc=false app=flush  | off off off same
rollback          read-committed  eoc=true  app=commit | on  on  on  same
rollback          read-committed  eoc=true  app=flush  | off off off same
rollback          read-committed  eoc=false app=commit | on  on  on  same
rollback          read-committed  eoc=false app=flush  | off off off same
rollback          repeatable-read eoc=true  app=commit | on  on  on  same
rollback          repeatable-read eoc=true  app=flush  | off off off same
rollback          repeatable-read eoc=false app=commit | on  on  on  same
rollback          repeatable-read eoc=false app=flush  | off off off same
rollback          serializable    eoc=true  app=commit | on  on  on  same
rollback          serializable    eoc=true  app=flush  | off off off same
rollback          serializable    eoc=false app=commit | on  on  on  same
rollback          serializable    eoc=false app=flush  | off off off same
shared-session    read-committed  eoc=true  app=commit | on  on  on  same
shared-session    read-committed  eoc=true  app=flush  | on  on  off same
shared-session    read-committed  eoc=false app=commit | on  on  on  same
shared-session    read-committed  eoc=false app=flush  | on  on  off same
shared-session    repeatable-read eoc=true  app=commit | on  on  on  same
shared-session    repeatable-read eoc=true  app=flush  | on  on  off same
shared-session    repeatable-read eoc=false app=commit | on  on  on  same
shared-session    repeatable-read eoc=false app=flush  | on  on  off same
shared-session    serializable    eoc=true  app=commit | on  on  on  same
shared-session    serializable    eoc=true  app=flush  | on  on  off same
shared-session    serializable    eoc=false app=commit | on  on  on  same
shared-session    serializable    eoc=false app=flush  | on  on  off same
"""

    struct Case: CustomTestStringConvertible, Sendable {
        var strategy: String
        var isolation: IsolationLevel
        var expireOnCommit: Bool
        var app: AppMode
        var object: String
        var transaction: String
        var committed: String
        var sameObject: Bool

        var testDescription: String {
            "\(strategy), \(isolation.rawValue), expire_on_commit=\(expireOnCommit), app \(app == .commit ? "commits" : "only flushes")"
        }

        init(line: Substring) {
            let halves = line.split(separator: "|")
            let given = halves[0].split(separator: " ")
            let seen = halves[1].split(separator: " ")
            strategy = String(given[0])
            isolation = IsolationLevel(argument: String(given[1]))!
            expireOnCommit = given[2] == "eoc=true"
            app = AppMode(rawValue: String(given[3].dropFirst("app=".count)))!
            object = String(seen[0])
            transaction = String(seen[1])
            committed = String(seen[2])
            sameObject = seen[3] == "same"
        }
    }

    static let cases = measured.split(separator: "\n").map(Case.init(line:))

    @Test("the table covers 9 strategies x 3 isolation levels x 2 expire_on_commit x 2 app modes")
    func tableIsComplete() {
        #expect(Self.cases.count == 108)
        #expect(Set(Self.cases.map(\.strategy)).count == 9)
    }

    @Test("lampctl's session gives what SQLAlchemy gave", arguments: cases)
    func referenceFlow(_ expected: Case) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let s1 = try db.session("S1", expireOnCommit: expected.expireOnCommit, isolation: expected.isolation)

        // 1. create, commit. 2. refresh (autobegin; the transaction stays open).
        let created = try s1.addCommittedLamp()
        let id = try created.id()
        try s1.refresh(created)
        #expect(try created.status() == "off")

        // 3. the application switches the lamp on, with its own session or S1.
        let schema = db.schema
        let provider: SessionProvider = expected.strategy == "shared-session"
            ? .shared(s1)
            : .own {
                SQLAlchemySession(connection: try TestDatabase.connect(schema: schema),
                        options: SQLAlchemySession.Options(expireOnCommit: true, isolation: expected.isolation, label: "S2"),
                        trace: db.trace)
            }
        _ = try SwitchOn.handle(id: id, provider: provider, mode: expected.app)

        // 4. the fix. 5. the test's read through the identity map.
        switch expected.strategy {
        case "refresh": try s1.refresh(created)
        case "expire": try s1.expire(created)
        case "expire-all": s1.expireAll()
        case "close": try s1.close()
        case "rollback": try s1.rollback()
        case "commit": try s1.commit()
        case "none", "shared-session", "populate-existing": break
        default: Issue.record("unknown strategy \(expected.strategy)")
        }
        let object = try s1.lamp(id, populateExisting: expected.strategy == "populate-existing")

        // 6. observe.
        let objectStatus = try object.status()
        let transactionStatus = try s1.statusInTransaction(id)
        try s1.close()
        let committed = try db.committedStatus(id: id)

        #expect(objectStatus == expected.object)
        #expect(transactionStatus == expected.transaction)
        #expect(committed == expected.committed)
        #expect((object === created) == expected.sameObject)
    }
}
