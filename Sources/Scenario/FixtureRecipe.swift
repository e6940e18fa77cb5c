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

    /// The join mode of the recipes that bind every session to one connection; nil otherwise.
    public var joinMode: ExternalTransaction.JoinMode? {
        switch self {
        case .independent, .overrideGetDB: return nil
        case .savepointJoin: return .createSavepoint
        case .rollbackPerTest: return .rollbackOnly
        }
    }

    /// True when the application's request gets the test's own session.
    public var sharesTestSession: Bool { self == .overrideGetDB }

    /// What its teardown does, for help texts.
    public var teardown: String {
        joinMode == nil ? "TRUNCATE lamps" : "close the sessions, then outer.rollback()"
    }
}
