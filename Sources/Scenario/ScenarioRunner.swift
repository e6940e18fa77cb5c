#if canImport(Glibc)
import Glibc
#endif
import LampApp
import LampSession
public import Postgres

/// The outcome of a run: each case's result, in order.
public struct RunResult: Sendable {
    public var cases: [CaseResult]
    /// The server's `default_transaction_isolation`.
    public var serverIsolation: String
    /// The server's `server_version` (for reports).
    public var serverVersion: String
}

/// Runs cases against a real PostgreSQL: one private schema per run (dropped at the end, also after
/// an error), one lamp per case, connections reused across cases.
public final class ScenarioRunner {
    /// The clusters sessions connect to; the run's schema lives on the primary.
    public let clusters: ClusterSet
    /// Told about each schema and backend the run creates, so an interrupted run can be cleaned up.
    public var registry: RunRegistry?
    /// Called before each step, before the observation, and before cleanup: a place for tests to
    /// inject faults (or for a debugger to pause); an error it throws ends the case like a step's.
    public var beforeStep: ((StepContext) throws -> Void)?
    /// What the last run's connections sent (the admin connection's and the pool's), for
    /// benchmarks that count round trips; complete once `run` has returned. The blocked-step
    /// monitor's checks are left out: they run only when a step waits over 10 ms (load-dependent).
    public private(set) var connectionCounts = ConnectionCounts()
    /// Told the names of abandoned run schemas (see `AbandonedRunSchemas`) this run dropped
    /// before it began; each run sweeps them on its admin connection.
    public var onAbandonedSchemasDropped: ([String]) -> Void = { _ in }
    /// Told when opening one of the run's connections takes over a second (what it waits for).
    public var onSlowConnect: (@Sendable (String) -> Void)?
    /// pytest's behaviour: a case ends at its first failed `expect` (its test session's teardown
    /// still runs). Such a case is then run once more to its end, to show whether that differs.
    public var stopAtFailedExpect = false
    /// Observe and report the fixture dimension (other connections, teardown) even when every
    /// case runs the `independent` recipe (`--fixture` was given).
    public var showsFixture = false
    /// Whether the results `run` returns keep their event logs (`onResult` always sees them whole).
    /// A caller that renders each case as it comes and only a table at the end sets it to false:
    /// the memory a run holds then stays that of one case's log, not steps x cases.
    public var keepsEvents = true

    public init(clusters: ClusterSet, registry: RunRegistry? = nil) {
        self.clusters = clusters
        self.registry = registry
    }

    /// A runner whose sessions all use one database.
    public convenience init(connectionString: ConnectionString, registry: RunRegistry? = nil) {
        self.init(clusters: ClusterSet(primary: connectionString), registry: registry)
    }

    /// The primary's connection string.
    public var connectionString: ConnectionString { clusters.primary }

    /// Runs every case in order; `onResult` sees each result as soon as it exists.
    public func run(_ cases: [ScenarioCase], onResult: (CaseResult) -> Void = { _ in }) throws -> RunResult {
        let schema = Self.newSchemaName()
        let admin = try Connection(connectionString, onSlowConnect: onSlowConnect)
        registry?.add(backend: admin.backendPID)
        try RunSchemaLock.hold(schema, on: admin)  // before the schema exists: no sweep can take it
        if let dropped = try? AbandonedRunSchemas.sweep(on: admin, except: schema), !dropped.isEmpty {
            onAbandonedSchemasDropped(dropped)
        }
        registry?.add(schema: schema)
        try LampSchema.create(schema, on: admin)
        if let standby = clusters.connectionString(for: ClusterSet.standby) {
            // A run interrupted between pause-replay and its observation left replay paused.
            do {
                let connection = try Connection(standby)
                defer { connection.close() }
                if try connection.execute("SELECT pg_is_wal_replay_paused()").rows.first?.first == "t" {
                    try connection.execute("SELECT pg_wal_replay_resume()")
                }
            }
            // The standby's sessions set search_path to the schema: wait until it exists there
            // (and a standby catching up on a backlog has replayed it, before any case reads it).
            try ReplayWait.until(try ReplayWait.currentLSN(on: admin), standby: standby)
        }
        let pool = ConnectionPool(clusters: clusters, schema: schema)
        pool.onSlowConnect = onSlowConnect
        pool.onConnect = { [registry] pid in registry?.add(backend: pid) }
        let blockedSteps = BlockedStepMonitor(monitor: admin)
        pool.blockedSteps = blockedSteps
        defer {
            registry?.current = "cleanup"
            try? beforeStep?(StepContext(caseIndex: cases.count, caseName: "", phase: "cleanup", schema: schema, backends: [:]))
            pool.closeAll()
            _ = try? CleanupLimits.apply(to: admin)
            if (try? LampSchema.drop(schema, on: admin)) != nil { registry?.remove(schema: schema) }
            connectionCounts = pool.counts + admin.counts - ConnectionCounts(statementsSent: blockedSteps.probes.statements)
            admin.close()
        }
        let settings = try admin.execute("SELECT current_setting('default_transaction_isolation'), current_setting('server_version')").rows.first
        let serverIsolation = settings?.first ?? nil
        let serverVersion = settings.flatMap { $0.count > 1 ? $0[1] : nil }
        var results: [CaseResult] = []
        // Like the driver column: a run with any other recipe shows the fixture dimension for every case.
        let observesFixture = cases.contains {
            $0.settings.fixture != $0.scenario.orm.defaultFixture || $0.scenario.testSession.fixture != nil
        } || showsFixture
        for (index, scenarioCase) in cases.enumerated() {
            var execution = makeExecution(scenarioCase, pool: pool, serverIsolation: serverIsolation ?? "read committed")
            let hook = beforeStep
            let caseName = execution.caseName
            execution.onStep = { [registry] phase in
                registry?.current = "case \(caseName): \(phase)"
                try hook?(StepContext(
                    caseIndex: index, caseName: caseName, phase: phase, schema: schema,
                    backends: pool.connections.mapValues(\.backendPID)))
            }
            // While the server is full, a run that waited for a connection while holding others
            // could starve every run: in the first case a refusal ends the run instead (thrown as
            // the refusal itself), and the caller may start it again (see `BusyServerWait`).
            pool.waitsWhenBusy = index > 0
            execution.stopAtFailedExpect = stopAtFailedExpect
            execution.observesFixture = observesFixture
            var result: CaseResult
            do {
                result = try execution.run()
                if result.stoppedAtLine != nil {
                    var whole = makeExecution(scenarioCase, pool: pool, serverIsolation: serverIsolation ?? "read committed")
                    whole.onStep = execution.onStep
                    whole.observesFixture = observesFixture
                    result.outcomeWithoutStopping = try whole.run().outcome
                }
            } catch {
                if index == 0, let refusal = pool.busyRefusal { throw refusal }
                throw error
            }
            onResult(result)
            if !keepsEvents { result.events = [] }
            results.append(result)
        }
        return RunResult(cases: results, serverIsolation: serverIsolation ?? "read committed", serverVersion: serverVersion ?? "unknown")
    }

    /// Where a run is, for `beforeStep`.
    public struct StepContext: Sendable {
        public var caseIndex: Int
        public var caseName: String
        /// `line 15: S2 switch-on`, `observe`, or `cleanup`.
        public var phase: String
        /// The run's schema.
        public var schema: String
        /// Backend pid of each session's connection opened so far (by label; a session's
        /// connection to a cluster other than the primary as `S1@standby`).
        public var backends: [String: Int32]
    }

    /// `lampctl_run_<pid>_<random>`: unique per run, recognisable as lampctl's.
    static func newSchemaName() -> String {
        let random = UInt64.random(in: 0..<UInt64(1) << 40)
        return "lampctl_run_\(getpid())_\(String(random, radix: 36))"
    }
}
