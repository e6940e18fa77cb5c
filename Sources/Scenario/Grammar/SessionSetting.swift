import LampSession

/// The table of settings a `session` line may add after its kind, with their syntax and help line.
public enum SessionSetting: String, CaseIterable, Sendable {
    case uses
    case expireOnCommit = "expire_on_commit"
    case isolation
    case driver
    case autoflush
    case reads
    case fixture

    public var spelling: String { rawValue }

    /// The values a `NAME=VALUE` setting takes; nil for `uses NAME`, which takes a session name.
    public var values: [String]? {
        switch self {
        case .uses: return nil
        case .expireOnCommit: return ["true", "false"]
        case .isolation: return IsolationLevel.allCases.map(\.argument)
        case .driver: return SessionDriver.allCases.map(\.rawValue)
        case .autoflush: return ["true", "false"]
        case .reads: return [ClusterSet.standby, ClusterSet.primary]
        case .fixture: return FixtureRecipe.allCases.map(\.rawValue)
        }
    }

    /// The session kinds it applies to.
    public var roles: [SessionRoleKeyword] {
        switch self {
        case .uses: return [.app]
        case .driver, .autoflush: return [.test]
        case .reads: return [.test]  // the application writes, on the primary
        case .fixture: return [.test]
        case .expireOnCommit, .isolation: return SessionRoleKeyword.allCases
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
        case .fixture: return "test only: RECIPE: " + (values ?? []).joined(separator: ", ") + ", how the app gets its session (else --fixture)"
        }
    }
}
