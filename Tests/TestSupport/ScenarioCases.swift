public import LampApp
public import LampSession
import Postgres
public import Scenario

/// Scenario runs on the test database, for the suites that need real results.
public enum ScenarioCases {
    /// Runs scenarios over dimensions as one fresh run (its first lamp is lamp 1).
    public static func run(_ definitions: [ScenarioDefinition], _ dimensions: Dimensions = Dimensions()) throws -> [CaseResult] {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        return try runner.run(dimensions.cases(for: definitions)).cases
    }

    /// A built-in scenario by name.
    public static func builtIn(_ name: String) throws -> ScenarioDefinition {
        guard let definition = try BuiltInScenarios.definition(named: name) else {
            throw TestSupportError("no built-in scenario \(name)")
        }
        return definition
    }

    /// Runs one built-in scenario as the first (and only) case of a fresh run, so its lamp is lamp 1.
    public static func runOne(_ name: String, isolation: IsolationLevel = .serverDefault, expireOnCommit: Bool = false,
                              app: AppMode = .commit) throws -> CaseResult {
        let dimensions = Dimensions(isolations: [isolation], expireOnCommit: [expireOnCommit], apps: [app])
        guard let result = try run([try builtIn(name)], dimensions).first else {
            throw TestSupportError("the run of \(name) produced no case")
        }
        return result
    }
}

/// A test helper could not do what it was asked (a missing fixture, an empty run).
public struct TestSupportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
