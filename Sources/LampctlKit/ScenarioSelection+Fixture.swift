public import Scenario

extension ScenarioSelection {
    public static let fixtureValues = FixtureRecipe.allCases.map(\.rawValue) + ["all"]

    /// `--fixture`: recipes (a comma list) or `all`, of the run's ORM (nil: the ORM's default).
    public static func fixtures(_ value: String?, orm: ORM = .sqlalchemy) throws -> [FixtureRecipe] {
        guard let value else { return [orm.defaultFixture] }
        let own = orm.fixtures.map(\.rawValue)
        return try splitList(value).flatMap { name -> [FixtureRecipe] in
            if name == "all" { return orm.fixtures }
            guard let recipe = FixtureRecipe(rawValue: name), recipe.orm == orm else {
                let whose = FixtureRecipe(rawValue: name).map { " (\($0.orm.displayName)'s test wrapper; this run is \(orm.displayName)'s)" } ?? ""
                let suggestion = whose.isEmpty ? Suggestion.clause(for: name, among: own + ["all"]) : ""
                throw LampctlError("unknown fixture '\(name)'\(whose)\(suggestion): expected \(own.joined(separator: ", ")) or all",
                                   status: .usage)
            }
            return [recipe]
        }.uniqued()
    }
}
