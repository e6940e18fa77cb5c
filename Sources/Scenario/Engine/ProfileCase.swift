import LampSession

/// One case under an ORM profile's rules, as the engine drives it: the profile performs the steps
/// and answers the observation's questions; the step loop (`runSteps`, here) and the observation
/// (`CaseObservation`) are the engine's, the same for every ORM.
protocol ProfileCase: CaseRunning {
    var scenarioCase: ScenarioCase { get }
    var serverIsolation: String { get }
    var journal: CaseJournal { get set }
    var expectations: [ExpectationResult] { get }
    var stoppedAtLine: Int? { get set }
    /// True once the case has a lamp (an error before that ends the run, not the case).
    var hasLamps: Bool { get }

    /// Performs one step with the profile's sessions.
    mutating func perform(_ step: Step) throws
    /// After a step that succeeded (SQLAlchemy notes the row versions its objects loaded).
    mutating func afterStep() throws
    /// The kind an error gets as the case's outcome under this ORM, or nil when it ends the run.
    func outcomeKind(of error: any Error) -> String?
    /// The observation after the last step, or after the step that raised `error`.
    mutating func observe(after error: CaseError?) throws -> CaseResult
}

extension ProfileCase {
    var settings: CaseSettings { scenarioCase.settings }
    var scenario: ScenarioDefinition { scenarioCase.scenario }
    /// The case's name in messages, with the server's default isolation resolved.
    var caseName: String { scenarioCase.name(serverIsolation: serverIsolation) }

    /// The levels a case ran at: the test's setting, its level as PostgreSQL spells it (the
    /// server's default resolved), and each application session on a connection of its own.
    func resolvedIsolation(test: IsolationLevel, applications: [(session: String, level: IsolationLevel)]) -> IsolationInEffect {
        func spelled(_ level: IsolationLevel) -> String { level == .serverDefault ? serverIsolation : level.rawValue }
        return IsolationInEffect(requested: test.argument, test: spelled(test), applications: applications.map {
            IsolationInEffect.Application(session: $0.session, level: spelled($0.level))
        })
    }

    /// The label of the connection that reads the committed truth: `S<n+1>`.
    var observerLabel: String {
        var number = scenario.sessions.count + 1
        while scenario.declaration("S\(number)") != nil { number += 1 }
        return "S\(number)"
    }

    /// The step loop: each step between its markers; an error the profile names is the case's
    /// outcome (observed as such), anything else ends the run; with `stopAtFailedExpect`, the
    /// case ends at its first failed `expect`.
    mutating func runSteps() throws -> CaseResult {
        for step in scenario.steps {
            let marker = StepMarker(step)
            journal.record(.step(marker))
            do {
                try onStep(marker.title)
            } catch {
                throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
            }
            do {
                try perform(step)
            } catch {
                // An ORM error or a transaction the server rolled back is this case's outcome;
                // anything else (a lost connection, a rejected statement) ends the run.
                guard hasLamps, let kind = outcomeKind(of: error) else {
                    throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
                }
                journal.record()
                var caseError = CaseError(kind: kind, line: step.line, step: marker.title, message: "\(error)",
                                          holder: (error as? CaseBlocked)?.holder)
                caseError.session = step.session
                return try observe(after: caseError)
            }
            do {
                try afterStep()
            } catch {
                throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
            }
            if stopAtFailedExpect, case .expect = step.action, expectations.last?.held == false {
                stoppedAtLine = step.line
                break
            }
        }
        return try observe(after: nil)
    }
}
