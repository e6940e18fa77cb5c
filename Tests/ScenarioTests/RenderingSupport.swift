import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import TestSupport

/// Runs one built-in scenario as the first (and only) case of a fresh run, so its lamp is lamp 1.
func runCase(_ name: String, isolation: IsolationLevel = .serverDefault, expireOnCommit: Bool = false,
             app: AppMode = .commit) throws -> CaseResult {
    let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
    guard let definition = try BuiltInScenarios.definition(named: name) else {
        throw FixtureError(message: "no built-in scenario \(name)")
    }
    let settings = CaseSettings(isolation: isolation, expireOnCommit: expireOnCommit, app: app)
    let run = try runner.run([ScenarioCase(scenario: definition, settings: settings)])
    guard let result = run.cases.first else { throw FixtureError(message: "the run produced no case") }
    return result
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
