/// One ORM lampctl models, and everything that is that ORM's: its built-in scenarios, its test
/// wrappers' default, the execution of a case under its rules (its sessions, its steps, its
/// answers to the observation). Each lives in its own folder (`SQLAlchemy/`, `Django/`);
/// `ORM.profile` is where a profile is registered.
protocol ORMProfile {
    /// Its strategies, in order (what `--fix all` runs): name and file text.
    static var strategies: [(name: String, text: String)] { get }
    /// Its other built-ins, runnable by name (a test wrapper's trap, a lock).
    static var otherBuiltIns: [(name: String, text: String)] { get }
    /// The test wrapper a case runs under when neither the file nor `--fixture` names one.
    static var defaultWrapper: FixtureRecipe { get }
    /// A case's execution under its rules.
    static func execution(_ scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) -> any CaseRunning
}

extension ORM {
    /// The test wrapper a case runs under when neither the file nor `--fixture` names one.
    public var defaultFixture: FixtureRecipe { profile.defaultWrapper }

    /// The registration: each ORM's profile.
    var profile: any ORMProfile.Type {
        switch self {
        case .sqlalchemy: return SQLAlchemyProfile.self
        case .django: return DjangoProfile.self
        }
    }
}

/// Scenario file text of a resource compiled into the binary.
func scenarioText(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
