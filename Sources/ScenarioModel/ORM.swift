/// The ORMs lampctl models, each a profile: its session rules, its step keywords (rows of the
/// grammar tables tagged with the ORMs that accept them), its test wrappers, its built-ins.
/// A scenario file names its ORM on its first line (`scenario NAME orm=django`); a run chooses
/// one with `--orm` (default SQLAlchemy).
public enum ORM: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case sqlalchemy
    case django

    /// How people write its name.
    public var displayName: String {
        switch self {
        case .sqlalchemy: return "SQLAlchemy"
        case .django: return "Django"
        }
    }

    public var description: String { rawValue }


    /// Its test wrappers (fixture recipes), in the order `--fixture all` runs them.
    public var fixtures: [FixtureRecipe] { FixtureRecipe.allCases.filter { $0.orm == self } }
}
