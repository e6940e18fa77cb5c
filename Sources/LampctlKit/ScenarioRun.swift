import Postgres
import Scenario

/// Runs cases for the CLI, registering what the run creates so that SIGINT/SIGTERM/SIGHUP (see
/// `ActiveRun.interrupt`) can terminate its backends and drop its schema.
public enum ScenarioRun {
    public static func execute(_ cases: [ScenarioCase], database: Database,
                               onResult: (CaseResult) -> Void) throws -> RunResult {
        let registry = RunRegistry()
        let connectionString = database.connectionString
        ActiveRun.set(registry, connectionString)
        defer { ActiveRun.clear() }
        Failpoint.check("connected")
        let runner = ScenarioRunner(connectionString: connectionString, registry: registry)
        runner.onAbandonedSchemasDropped = { AbandonedRunSchemas.report($0) }
        if Failpoint.isSet {
            runner.beforeStep = { context in Failpoint.check(context.caseName.isEmpty ? context.phase : "case \(context.caseName): \(context.phase)") }
        }
        do {
            return try runner.run(cases, onResult: onResult)
        } catch {
            if !registry.schemas.isEmpty {
                let left = EmergencyCleanup.run(registry, connectionString: connectionString)
                if !left.isEmpty {
                    var report = LampctlError.from(error)
                    report.message += "; could not drop schema \(left.joined(separator: ", "))"
                    throw report
                }
            }
            throw error
        }
    }
}
