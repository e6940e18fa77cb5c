import Foundation
public import Scenario

/// `lampctl scenario --list` and `--show NAME`: the built-in scenarios as text.
public enum ScenarioCatalogue {
    /// One line per built-in (with `replica`, per replica built-in): name and summary.
    /// The summaries start in one column, two spaces past the longest name.
    public static func listing(replica: Bool = false, orm: ORM = .sqlalchemy) throws -> String {
        let names = replica ? BuiltInScenarios.replicaNames : BuiltInScenarios.runnableNames(for: orm)
        let width = (names.map(\.count).max() ?? 0) + 2
        return try names.map { name in
            name.padding(toLength: width, withPad: " ", startingAt: 0) + (try BuiltInScenarios.definition(named: name)?.summary ?? "") + "\n"
        }.joined()
    }

    /// A built-in scenario's file.
    public static func source(named name: String) throws -> String {
        guard let text = BuiltInScenarios.source(named: name) else {
            let all = ORM.allCases.flatMap(BuiltInScenarios.runnableNames(for:))
            throw LampctlError(
                "unknown scenario '\(name)'\(Suggestion.clause(for: name, among: all)): expected one of \(BuiltInScenarios.names.joined(separator: ", "))"
                    + " (lampctl scenario --list; --list --orm django for Django's)",
                status: .usage)
        }
        return text
    }
}
