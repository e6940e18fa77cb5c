import Postgres
public import Scenario

/// Runs cases for the CLI, registering what the run creates so that SIGINT/SIGTERM/SIGHUP (see
/// `ActiveRun.interrupt`) can terminate its backends and drop its schema.
public enum ScenarioRun {
    /// Runs `cases`; `onResult` sees each result whole as it comes. With `keepsEvents` false, the
    /// results returned lack their event logs (see `ScenarioRunner.keepsEvents`).
    public static func execute(_ cases: [ScenarioCase], database: Database, stopAtFailedExpect: Bool = false, showsFixture: Bool = false,
                               keepsEvents: Bool = true, onResult: (CaseResult) -> Void) throws -> RunResult {
        let connectionString = database.connectionString
        var registry = RunRegistry()
        ActiveRun.set(registry, connectionString)
        defer { ActiveRun.clear() }
        Failpoint.check("connected")
        var waiting = BusyServerWait.Waiting()
        while true {
            let standby = database.standbyConnectionString.map { [ClusterSet.standby: $0] } ?? [:]
            let runner = ScenarioRunner(clusters: ClusterSet(primary: connectionString, others: standby), registry: registry)
            runner.onAbandonedSchemasDropped = { AbandonedRunSchemas.report($0) }
            runner.stopAtFailedExpect = stopAtFailedExpect
            runner.showsFixture = showsFixture
            runner.keepsEvents = keepsEvents
            runner.onSlowConnect = database.onSlowConnect
            if Failpoint.isSet {
                runner.beforeStep = { context in Failpoint.check(context.caseName.isEmpty ? context.phase : "case \(context.caseName): \(context.phase)") }
            }
            do {
                return try runner.run(cases, onResult: onResult)
            } catch let refusal as PostgresError where registry.schemas.isEmpty && waiting.pause(after: refusal) {
                // The server was full during the first case and the run cleaned up: start again,
                // with a new registry (the old backends are gone; their pids may be reused).
                registry = RunRegistry()
                ActiveRun.set(registry, connectionString)
            } catch {
                try cleanUp(after: error, registry: registry, connectionString: connectionString)
            }
        }
    }

    /// After a failed run: drops what is left of its schema, then rethrows (naming what could not be dropped).
    private static func cleanUp(after error: any Error, registry: RunRegistry, connectionString: ConnectionString) throws -> Never {
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
