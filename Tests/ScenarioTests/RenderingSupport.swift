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

/// Golden files under `Fixtures/expected/` at the package root; `LAMPCTL_UPDATE_FIXTURES=1` rewrites them.
enum GoldenFile {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/expected")

    static var updating: Bool { ProcessInfo.processInfo.environment["LAMPCTL_UPDATE_FIXTURES"] == "1" }

    /// The expected text (after writing `actual` when updating).
    static func expected(_ name: String, actual: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        if updating {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw FixtureError(message: "missing golden file \(url.path); run with LAMPCTL_UPDATE_FIXTURES=1 to create it")
        }
        return text
    }
}
