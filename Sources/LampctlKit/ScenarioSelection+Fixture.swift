public import Scenario

extension ScenarioSelection {
    public static let fixtureValues = FixtureRecipe.allCases.map(\.rawValue) + ["all"]

    /// `--fixture`: recipes (a comma list) or `all`.
    public static func fixtures(_ value: String) throws -> [FixtureRecipe] {
        try splitList(value).flatMap { name -> [FixtureRecipe] in
            if name == "all" { return FixtureRecipe.allCases }
            guard let recipe = FixtureRecipe(rawValue: name) else {
                let expected = FixtureRecipe.allCases.map(\.rawValue).joined(separator: ", ")
                throw LampctlError("unknown fixture '\(name)'\(Suggestion.clause(for: name, among: fixtureValues)): expected \(expected) or all",
                                   status: .usage)
            }
            return [recipe]
        }.uniqued()
    }
}
