public import LampApp
public import LampSession

/// A scenario as data: the sessions it uses and the ordered steps they take.
///
/// Built-in fix strategies and users' scenario files are the same thing: a definition parsed from text.
public struct ScenarioDefinition: Sendable, Equatable {
    /// A short name (`refresh`, `none`, ...), shown in the strategy column.
    public var name: String
    /// One line saying what the scenario does.
    public var summary: String
    public var sessions: [SessionDeclaration]
    public var steps: [Step]
    /// Where it came from (a file path or `built-in`), for messages.
    public var origin: String
    /// Whose rules its sessions follow (`orm=` on its scenario line; SQLAlchemy by default).
    public var orm: ORM = .sqlalchemy

    public init(name: String, summary: String, sessions: [SessionDeclaration], steps: [Step], origin: String) {
        self.name = name
        self.summary = summary
        self.sessions = sessions
        self.steps = steps
        self.origin = origin
    }

    /// The test's session (exactly one per scenario; the parser checks).
    public var testSession: SessionDeclaration {
        sessions.first { $0.role == .test }!
    }

    public func declaration(_ name: String) -> SessionDeclaration? {
        sessions.first { $0.name == name }
    }

    /// True when some session with a connection of its own leaves its isolation level to
    /// `--isolation` (an app session that uses the test's session runs at the test's level).
    public var isolationIsOpen: Bool {
        sessions.contains { session in
            if case .applicationUsing = session.role { return false }
            if session.isWorker { return false }
            return session.isolation == nil
        }
    }

    /// True when some step names a lamp (the JSON then says which lamp the observation read).
    public var namesLamps: Bool { steps.contains { $0.lamp != nil } }

    /// True when a worker session is declared (the JSON then has `worker_reads`).
    public var hasWorker: Bool { sessions.contains(where: \.isWorker) }

    /// True when the test session leaves its driver to `--driver`.
    public var driverIsOpen: Bool { testSession.driver == nil }

    /// True when the test session leaves its fixture recipe to `--fixture`. A test session that
    /// reads the standby runs the independent recipe only: the join recipes put the test's and the
    /// app's sessions on one connection, which cannot both write the primary and read the standby.
    public var fixtureIsOpen: Bool { testSession.fixture == nil && !readsStandby }

    /// True when some session reads the hot standby (`reads=standby`).
    public var readsStandby: Bool { sessions.contains { $0.cluster == ClusterSet.standby } }

    /// True when the test session leaves expire_on_commit to `--expire-on-commit`.
    public var expireOnCommitIsOpen: Bool { testSession.expireOnCommit == nil }

    /// The mode the file's first switch-on step fixes, if any.
    public var fixedAppMode: AppMode? {
        for step in steps {
            if case let .switchOn(mode?) = step.action { return mode }
            if case let .delete(mode?) = step.action { return mode }
        }
        return nil
    }

    /// True when some switch-on step leaves commit/flush to `--app`.
    public var appModeIsOpen: Bool {
        steps.contains {
            switch $0.action {
            case .switchOn(nil), .delete(nil): return true
            default: return false
            }
        }
    }
}

/// A session a scenario declares.
public struct SessionDeclaration: Sendable, Equatable {
    public enum Role: Sendable, Equatable {
        /// The test's session: it creates, reads and asserts.
        case test
        /// The application's own session, opened and closed per request.
        case application
        /// The application using another session (the dependency override / shared-session fix).
        case applicationUsing(String)
        /// Another process's connection (a Celery worker, a live-server thread): its own, never
        /// joined to the fixture's transaction; it only reads with plain SQL.
        case worker
    }

    public var name: String
    public var role: Role
    /// `nil`: left open (the test session takes `--expire-on-commit`, an application session SQLAlchemy's default, true).
    public var expireOnCommit: Bool?
    /// `nil`: left open to `--isolation`.
    public var isolation: IsolationLevel?
    /// The cluster the session connects to (a name in the run's `ClusterSet`).
    public var cluster: String
    /// The test session's driver; `nil`: left open to `--driver`.
    public var driver: SessionDriver?
    /// The test session's autoflush; `nil`: SQLAlchemy's default, true.
    public var autoflush: Bool?
    /// `sticky=`: a standby-reading test session reads the primary for this long after its own
    /// write (Rails' automatic role switching), until it closes; `nil`: never.
    public var stickyMilliseconds: Int?
    /// `synchronous_commit=`: an application session's setting for its requests (`remote_apply`:
    /// COMMIT waits until the standby applied it); `nil`: the server's.
    public var synchronousCommit: SynchronousCommitMode?
    /// The test session's fixture recipe; `nil`: left open to `--fixture`.
    public var fixture: FixtureRecipe?

    public init(name: String, role: Role, expireOnCommit: Bool? = nil, isolation: IsolationLevel? = nil,
                cluster: String = ClusterSet.primary) {
        self.name = name
        self.role = role
        self.expireOnCommit = expireOnCommit
        self.isolation = isolation
        self.cluster = cluster
    }

    public var isApplication: Bool { role != .test && role != .worker }

    /// True for `session NAME worker`.
    public var isWorker: Bool { role == .worker }

    /// The kind its `session` line spelled.
    public var roleKeyword: SessionRoleKeyword { isWorker ? .worker : isApplication ? .app : .test }
}
