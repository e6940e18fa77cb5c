import LampApp
import LampSession
import Postgres

/// Runs one case: builds its sessions over the pool's connections, performs each step, then
/// observes (object status, what S1's transaction sees, same object, committed status).
struct CaseExecution {
    let scenarioCase: ScenarioCase
    let pool: ConnectionPool
    let serverIsolation: String
    let trace = Trace()
    /// Told the case and step about to run (for messages after an interruption).
    var onStep: (String) throws -> Void = { _ in }

    private var testSessions: [String: Session] = [:]
    private var lampID: Int64?
    private var object: ORMObject?
    private var created: ORMObject?
    private var expectations: [ExpectationResult] = []
    private var appResponses: [SwitchOn.Response] = []

    init(scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) {
        self.scenarioCase = scenarioCase
        self.pool = pool
        self.serverIsolation = serverIsolation
    }

    var settings: CaseSettings { scenarioCase.settings }
    /// The case's name in messages, with the server's default isolation resolved.
    var caseName: String { scenarioCase.name(serverIsolation: serverIsolation) }
    var scenario: ScenarioDefinition { scenarioCase.scenario }

    /// The label of the third connection that reads the committed truth: `S<n+1>`.
    var observerLabel: String {
        var number = scenario.sessions.count + 1
        while scenario.declaration("S\(number)") != nil { number += 1 }
        return "S\(number)"
    }

    mutating func run() throws -> CaseResult {
        defer { closeSessions() }
        for step in scenario.steps {
            let label = "line \(step.line): \(step.session) \(step.action.text)"
            trace.mark(label, session: step.session)
            do {
                try onStep(label)
                try perform(step)
            } catch {
                throw ScenarioRunError(caseName: caseName, step: label,
                                       message: "\(error)", isConnectionFailure: Self.isConnectionFailure(error))
            }
        }
        return try observe()
    }

    // MARK: - Steps

    private mutating func perform(_ step: Step) throws {
        guard let declaration = scenario.declaration(step.session) else { return }
        if declaration.isApplication {
            guard case let .switchOn(mode) = step.action, let lampID else { return }
            let response = try SwitchOn.handle(id: lampID, provider: try provider(for: declaration), mode: mode ?? settings.app)
            appResponses.append(response)
            return
        }
        let session = try testSession(declaration)
        switch step.action {
        case let .create(status):
            let lamp = Lamp.new(status: status)
            try session.add(lamp)
            try session.commit()
            lampID = lamp.key
            object = lamp
            created = lamp
        case let .select(populateExisting):
            guard let found = try session.select(Lamp.model, key: try requireLamp(), populateExisting: populateExisting) else {
                throw LampAppError.lampNotFound(try requireLamp())
            }
            object = found
        case .refresh: try session.refresh(try requireObject())
        case .expire: try session.expire(try requireObject())
        case .expireAll: session.expireAll()
        case .close: try session.close()
        case .commit: try session.commit()
        case .rollback: try session.rollback()
        case .flush: try session.flush()
        case .sqlRead: _ = try readStatus(in: session)
        case let .expect(status):
            let actual = try requireObject().status()
            let expectation = ExpectationResult(line: step.line, expected: status, actual: actual)
            expectations.append(expectation)
            trace.record(.note("expect \(status): the object's status is \(displayValue(actual)): \(expectation.held ? "holds" : "FAILS")"), session: step.session)
        case .switchOn: break
        }
    }

    private mutating func testSession(_ declaration: SessionDeclaration) throws -> Session {
        if let session = testSessions[declaration.name] { return session }
        let options = Session.Options(
            expireOnCommit: declaration.expireOnCommit ?? settings.expireOnCommit,
            isolation: declaration.isolation ?? settings.isolation,
            label: declaration.name)
        let session = Session(connection: try pool.connection(for: declaration.name), options: options, trace: trace)
        testSessions[declaration.name] = session
        return session
    }

    private mutating func provider(for declaration: SessionDeclaration) throws -> SessionProvider {
        if case let .applicationUsing(target) = declaration.role, let used = scenario.declaration(target) {
            return .shared(try testSession(used))
        }
        let pool = self.pool
        let trace = self.trace
        let options = Session.Options(
            expireOnCommit: declaration.expireOnCommit ?? true,
            isolation: declaration.isolation ?? settings.isolation,
            label: declaration.name)
        return .own { Session(connection: try pool.connection(for: declaration.name), options: options, trace: trace) }
    }

    private func requireLamp() throws -> Int64 {
        guard let lampID else { throw LampAppError.lampNotFound(0) }
        return lampID
    }

    private func requireObject() throws -> ORMObject {
        guard let object else { throw LampAppError.lampNotFound(lampID ?? 0) }
        return object
    }

    private func readStatus(in session: Session) throws -> String? {
        try session.execute("SELECT status FROM lamps WHERE id = $1", [String(try requireLamp())]).rows.first?.first ?? nil
    }

    // MARK: - Observation

    private mutating func observe() throws -> CaseResult {
        let test = scenario.testSession
        var phase = "read the object's status"
        do {
            try onStep("observe")
            trace.mark("observe: the test's assertion reads the object", session: test.name)
            let objectStatus = try requireObject().status()
            phase = "plain SQL read in \(test.name)'s transaction"
            trace.mark("observe: what \(test.name)'s transaction sees", session: test.name)
            let session = try testSession(test)
            let transactionStatus = try readStatus(in: session)
            phase = "close \(test.name)"
            trace.mark("observe: close \(test.name)", session: test.name)
            closeSessions()
            phase = "read the committed status"
            trace.mark("observe: the committed status, on a fresh connection", session: observerLabel)
            let committed = try readCommitted()
            let held = expectations.isEmpty ? objectStatus == "on" : expectations.allSatisfy(\.held)
            let observation = Observation(
                objectStatus: objectStatus, transactionStatus: transactionStatus, committedStatus: committed,
                sameObject: object === created, expectationsHeld: held)
            return CaseResult(
                scenario: scenario.name, settings: settings,
                isolationInEffect: settings.isolation == .serverDefault ? serverIsolation : settings.isolation.rawValue,
                lampID: try requireLamp(), observation: observation, expectations: expectations,
                appResponses: appResponses, trace: trace.entries,
                sessionLabels: scenario.sessions.map(\.name), observerLabel: observerLabel)
        } catch let error as ScenarioRunError {
            throw error
        } catch {
            throw ScenarioRunError(caseName: caseName, step: "observe: \(phase)", message: "\(error)",
                                   isConnectionFailure: Self.isConnectionFailure(error))
        }
    }

    static func isConnectionFailure(_ error: any Error) -> Bool {
        (error as? PostgresError)?.kind == .connectionFailed
    }

    private func readCommitted() throws -> String? {
        let connection = try pool.connection(for: observerLabel)
        let sql = "SELECT status FROM lamps WHERE id = $1"
        let parameters: [String?] = [String(try requireLamp())]
        let result = try connection.execute(sql, parameters)
        trace.record(TraceEntry(session: observerLabel, kind: .statement(
            TracedStatement(sql: sql, parameters: parameters, result: result, error: nil))))
        return result.rows.first?.first ?? nil
    }

    /// Closes the test sessions (ROLLBACK of anything open); application sessions close themselves.
    private mutating func closeSessions() {
        for name in scenario.sessions.map(\.name) {
            guard let session = testSessions[name] else { continue }
            if session.connection.isClosed { continue }
            _ = try? session.close()
        }
        testSessions.removeAll()
    }
}
