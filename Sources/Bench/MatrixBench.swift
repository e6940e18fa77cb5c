import LampApp
import LampSession
import Postgres
public import Scenario

/// Part 1: the full matrix, run in process by `ScenarioRunner` as `lampctl scenario` runs it,
/// with every statement and connection counted.
public enum MatrixBench {
    /// What a run of the matrix costs and needs.
    public struct Measurement: Codable, Sendable {
        public var cases: Int
        /// One whole run (schema create, every case, schema drop), milliseconds.
        public var wall: Summary
        /// `wall` divided by the number of cases.
        public var perCase: Summary
        /// Round trips after connecting: `traceStatements + runLevelStatements + prepares`.
        public var roundTrips: Int
        /// Statements the cases' traces show.
        public var traceStatements: Int
        /// Statements outside the traces: schema lock, sweep, create and drop (with its clean-up limits), SHOW, each pool connection's set_config, pool rollbacks.
        public var runLevelStatements: Int
        /// `PQprepare` calls: each pool connection prepares the texts it repeats, once (absent
        /// in results written before lampctl prepared statements).
        public var prepares: Int?
        /// Connections opened per run: the admin connection and the pool's.
        public var connections: Int
    }

    /// What one run sent, counted by the run's connections and from the traces.
    struct Counts: Equatable {
        var statements: Int
        var prepares: Int
        var traced: Int
        var connections: Int

        var roundTrips: Int { statements + prepares }
    }

    /// The nine built-in strategies x 3 isolation levels x expire_on_commit both x app both.
    public static func cases() throws -> [ScenarioCase] {
        let definitions = try BuiltInScenarios.names.compactMap { try BuiltInScenarios.definition(named: $0) }
        let dimensions = Dimensions(
            isolations: [.readCommitted, .repeatableRead, .serializable],
            expireOnCommit: [false, true], apps: [.commit, .flush])
        return dimensions.cases(for: definitions)
    }

    /// Runs the matrix once: milliseconds and counts.
    static func run(_ cases: [ScenarioCase], on connectionString: ConnectionString) throws -> (milliseconds: Double, counts: Counts) {
        let runner = ScenarioRunner(connectionString: connectionString)
        var result: RunResult?
        let elapsed = try Stopwatch.milliseconds { result = try runner.run(cases) }
        let spent = runner.connectionCounts
        let traced = result?.cases.reduce(0) { $0 + tracedStatements($1) } ?? 0
        return (elapsed, Counts(statements: spent.statementsSent, prepares: spent.statementsPrepared, traced: traced,
                               connections: spent.connectionsOpened))
    }

    /// Summarises runs, which must all have sent the same.
    static func measurement(cases: Int, samples: [Double], counts: [Counts]) throws -> Measurement {
        guard let first = counts.first else { throw BenchError("the matrix did not run") }
        if let other = counts.first(where: { $0 != first }) {
            throw BenchError("the matrix sent \(first) in one run and \(other) in another")
        }
        let wall = Summary(samples)
        return Measurement(
            cases: cases, wall: wall, perCase: wall.divided(by: Double(max(cases, 1))),
            roundTrips: first.roundTrips, traceStatements: first.traced,
            runLevelStatements: first.statements - first.traced, prepares: first.prepares, connections: first.connections)
    }

    static func tracedStatements(_ result: CaseResult) -> Int {
        result.statements.count
    }
}
