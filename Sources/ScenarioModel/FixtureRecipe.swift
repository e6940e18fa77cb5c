public import LampSession

/// How a test suite wires the test's session to the application's (the fixture), and how it
/// cleans up after each test: `lampctl scenario --fixture`, or `fixture=` on the test session.
public enum FixtureRecipe: String, Sendable, Codable, CaseIterable {
    /// Each request opens its own session; the test has another; teardown TRUNCATEs the table.
    case independent
    /// FastAPI's `app.dependency_overrides[get_db]` yields the test's session; teardown TRUNCATEs.
    case overrideGetDB = "override-get-db"
    /// One connection, `outer = connection.begin()`; the test's and the app's sessions bound to it
    /// with `join_transaction_mode="create_savepoint"`; teardown: close, `outer.rollback()`.
    case savepointJoin = "savepoint-join"
    /// The same with `join_transaction_mode="rollback_only"` (Django's TestCase, encode/databases'
    /// `force_rollback`): nothing a session does commits or releases anything.
    case rollbackPerTest = "rollback-per-test"
    /// Django's `LiveServerTestCase` (pytest-django `transactional_db` + `live_server`): the test's
    /// connection in autocommit, each request on a new connection of its own; flush (TRUNCATE) after.
    case djangoLiveServer = "live-server"
    /// Django's `TransactionTestCase` with the test client: the view on the test's own connection,
    /// in autocommit; flush (TRUNCATE) after.
    case djangoTransactionTestCase = "transaction-test-case"
    /// Django's `TestCase` with the test client: the test inside two `atomic()` blocks (class,
    /// test), the view on the test's connection, inside them (its `atomic()` a savepoint); both
    /// blocks rolled back after.
    case djangoTestCase = "test-case"
    /// Django's `TestCase` data (pytest-django `db`) with a live server: the test inside
    /// TestCase's blocks, each request on a connection of its own, which cannot see the test's rows.
    case djangoTestCaseLiveServer = "test-case-live-server"

    /// The ORM whose test wrapper it is.
    public var orm: ORM {
        switch self {
        case .independent, .overrideGetDB, .savepointJoin, .rollbackPerTest: return .sqlalchemy
        case .djangoLiveServer, .djangoTransactionTestCase, .djangoTestCase, .djangoTestCaseLiveServer: return .django
        }
    }

    /// Django: the test's connection runs inside TestCase's two atomic blocks, rolled back after.
    public var wrapsTestInTransaction: Bool { self == .djangoTestCase || self == .djangoTestCaseLiveServer }

    /// Django: the view runs on the test's own connection (the test client), not a request thread's.
    public var runsViewOnTestConnection: Bool { self == .djangoTestCase || self == .djangoTransactionTestCase }

    /// The join mode of the recipes that bind every session to one connection; nil otherwise.
    public var joinMode: ExternalTransaction.JoinMode? {
        switch self {
        case .independent, .overrideGetDB: return nil
        case .djangoLiveServer, .djangoTransactionTestCase, .djangoTestCase, .djangoTestCaseLiveServer: return nil
        case .savepointJoin: return .createSavepoint
        case .rollbackPerTest: return .rollbackOnly
        }
    }

    /// True when the application's request gets the test's own session.
    public var sharesTestSession: Bool { self == .overrideGetDB }

    /// What its teardown does, for help texts.
    public var teardown: String {
        if wrapsTestInTransaction { return "roll back TestCase's atomic blocks" }
        return joinMode == nil ? "TRUNCATE lamps" : "close the sessions, then outer.rollback()"
    }
}
