/// One case's step loop and observation under one ORM's rules (a profile's execution: see
/// `ProfileCase`, `ObservableCase`). The runner makes one per case with `makeExecution`.
protocol CaseRunning {
    /// The case's name in messages, with the server's default isolation resolved.
    var caseName: String { get }
    /// Told the case and step about to run (for messages after an interruption).
    var onStep: (String) throws -> Void { get set }
    /// pytest's behaviour: the case ends at the first `expect` that fails.
    var stopAtFailedExpect: Bool { get set }
    /// The run shows the test wrapper: observe other connections and run its teardown.
    var observesFixture: Bool { get set }
    mutating func run() throws -> CaseResult
}

/// The execution of a case under its scenario's ORM.
func makeExecution(_ scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) -> any CaseRunning {
    scenarioCase.scenario.orm.profile.execution(scenarioCase, pool: pool, serverIsolation: serverIsolation)
}
