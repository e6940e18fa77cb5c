import LampSession

/// The table of settings a `session` line may add after its kind, with their syntax and help line.
public enum SessionSetting: String, CaseIterable, Sendable {
    case uses
    case expireOnCommit = "expire_on_commit"
    case isolation
    case driver
    case autoflush
    case reads
    case sticky
    case synchronousCommit = "synchronous_commit"
    case fixture

    public var spelling: String { rawValue }

    /// The ORMs whose scenario files accept it.
    public var orms: [ORM] {
        switch self {
        case .isolation, .fixture: return [.sqlalchemy, .django]
        default: return [.sqlalchemy]
        }
    }

    /// The settings a file of `orm` accepts, in table order.
    public static func accepted(by orm: ORM) -> [SessionSetting] { allCases.filter { $0.orms.contains(orm) } }

    /// The values it takes in a file of `orm` (`fixture=`: that ORM's test wrappers).
    public func values(in orm: ORM) -> [String]? {
        self == .fixture ? orm.fixtures.map(\.rawValue) : values
    }

    /// How the grammar reference of `orm` spells it.
    public func syntax(in orm: ORM) -> String { orm == .django && self == .fixture ? "fixture=WRAPPER" : syntax }

    /// Its help line in the grammar reference of `orm`.
    public func help(in orm: ORM) -> String {
        guard orm == .django else { return help }
        switch self {
        case .fixture: return "test only: WRAPPER: " + (values(in: orm) ?? []).joined(separator: ", ") + ", the test wrapper (else --fixture; default live-server)"
        case .isolation: return "LEVEL: " + (values ?? []).joined(separator: ", ") + ": the connection's OPTIONS isolation_level (else --isolation)"
        default: return help
        }
    }

    /// The values a `NAME=VALUE` setting takes; nil for `uses NAME`, which takes a session name.
    public var values: [String]? {
        switch self {
        case .uses: return nil
        case .expireOnCommit: return ["true", "false"]
        case .isolation: return IsolationLevel.allCases.map(\.argument)
        case .driver: return SessionDriver.allCases.map(\.rawValue)
        case .autoflush: return ["true", "false"]
        case .reads: return [ClusterSet.standby, ClusterSet.primary]
        case .sticky: return ["DURATION"]
        case .synchronousCommit: return SynchronousCommitMode.allCases.map(\.rawValue)
        case .fixture: return ORM.sqlalchemy.fixtures.map(\.rawValue)
        }
    }

    /// The session kinds it applies to.
    public var roles: [SessionRoleKeyword] {
        switch self {
        case .uses: return [.app]
        case .driver, .autoflush: return [.test]
        case .reads, .sticky: return [.test]  // the application writes, on the primary
        case .synchronousCommit: return [.app]
        case .fixture: return [.test]
        case .expireOnCommit, .isolation: return [.test, .app]  // a worker reads at the server's default, statement by statement
        }
    }

    /// How the grammar reference spells it.
    public var syntax: String {
        switch self {
        case .uses: return "uses NAME"
        case .expireOnCommit: return "expire_on_commit=true|false"
        case .isolation: return "isolation=LEVEL"
        case .driver: return "driver=sync|async"
        case .autoflush: return "autoflush=true|false"
        case .reads: return "reads=standby|primary"
        case .sticky: return "sticky=DURATION"
        case .synchronousCommit: return "synchronous_commit=remote_apply|off"
        case .fixture: return "fixture=RECIPE"
        }
    }

    /// One line for the grammar reference.
    public var help: String {
        switch self {
        case .uses: return "app only: use the test session NAME, with its settings, instead of its own"
        case .expireOnCommit: return "expire every object on commit (else --expire-on-commit; an app: true)"
        case .isolation: return "LEVEL: " + (values ?? []).joined(separator: ", ") + " (else --isolation)"
        case .driver: return "test only: Session, or AsyncSession (an expired read raises MissingGreenlet) (else --driver)"
        case .autoflush: return "test only: false keeps changes in memory until flush or commit (else true)"
        case .reads: return "test only: the server its reads go to (else primary); its writes go to the primary"
        case .sticky: return "reads=standby only: read the primary for DURATION (2s, 500ms) after this session's own write, until close"
        case .synchronousCommit: return "app only: remote_apply: its COMMIT returns once the standby applied it (else the server's)"
        case .fixture: return "test only: RECIPE: " + (values ?? []).joined(separator: ", ") + ", how the app gets its session (else --fixture)"
        }
    }
}
