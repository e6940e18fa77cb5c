import Postgres
import Scenario

/// Runs cases for the CLI: a registry of what the run creates, and SIGINT/SIGTERM handling that
/// terminates the run's backends, drops its schema and exits 130/143 with one line.
public enum ScenarioRun {
    public static func execute(_ cases: [ScenarioCase], database: Database,
                               onResult: (CaseResult) -> Void) throws -> RunResult {
        let registry = RunRegistry()
        let connectionString = database.connectionString
        let guardian = SignalGuard { signalNumber in
            let left = EmergencyCleanup.run(registry, connectionString: connectionString)
            var line = "\(SignalGuard.name(signalNumber)) during \(registry.current)"
            line += left.isEmpty ? "; the run's schema was dropped" : "; could not drop schema \(left.joined(separator: ", ")) (server unreachable)"
            return line
        }
        defer { withExtendedLifetime(guardian) {} }
        let runner = ScenarioRunner(connectionString: connectionString, registry: registry)
        do {
            return try runner.run(cases, onResult: onResult)
        } catch {
            let left = registry.schemas
            if !left.isEmpty {
                let cleaned = EmergencyCleanup.run(registry, connectionString: connectionString)
                if !cleaned.isEmpty {
                    var report = LampctlError.from(error)
                    report.message += "; could not drop schema \(cleaned.joined(separator: ", "))"
                    throw report
                }
            }
            throw error
        }
    }
}
