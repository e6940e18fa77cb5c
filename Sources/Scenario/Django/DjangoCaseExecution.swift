import LampSession
import Postgres

/// Runs one case of a Django scenario: the test's connection (in autocommit, or inside
/// TestCase's blocks), the views on the connection the test wrapper gives them, then the
/// observation (see docs/django-semantics.md). The engine runs the step loop and the
/// observation; the observation's Django side is in `+Observation`.
struct DjangoCaseExecution: ObservableCase {
    let scenarioCase: ScenarioCase
    let pool: ConnectionPool
    let serverIsolation: String
    var journal = CaseJournal()
    var trace: Trace { journal.trace }
    var onStep: (String) throws -> Void = { _ in }
    var stopAtFailedExpect = false
    var observesFixture = false

    let labels = DjangoLabels()
    /// The test's connection, opened by its first step (TestCase's blocks entered then).
    var test: DjangoConnection?
    var lamps: [String: DjangoLamp] = [:]
    var lampOrder: [String] = []
    var expectedLamp: String?
    var expectations: [ExpectationResult] = []
    /// The view's last write to each lamp: `on`, or nil for a delete.
    var appWrites: [String: String?] = [:]
    var workerReads: [String?] = []
    var stoppedAtLine: Int?

    /// TestCase's two blocks (class, test) around the test.
    static let testCaseBlocks = 2

    init(scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) {
        self.scenarioCase = scenarioCase
        self.pool = pool
        self.serverIsolation = serverIsolation
    }

    var wrapper: FixtureRecipe { settings.fixture }

    /// The test's level as PostgreSQL spells it, then each view on a connection of its own that
    /// ran another: `repeatable read (S2: read committed)`.
    var isolationInEffect: IsolationInEffect {
        let test = scenario.testSession.isolation ?? settings.isolation
        // Through the test client the view runs on the test's connection; a view on its own follows the test's settings.
        let applications = wrapper.runsViewOnTestConnection ? [] : scenario.sessions.filter(\.isApplication)
            .map { (session: $0.name, level: viewIsolation($0)) }
        return resolvedIsolation(test: test, applications: applications)
    }

    /// A view's level on a connection of its own: its `isolation=`, else the test's database settings.
    func viewIsolation(_ declaration: SessionDeclaration) -> IsolationLevel {
        declaration.isolation ?? scenario.testSession.isolation ?? settings.isolation
    }

    mutating func run() throws -> CaseResult {
        defer {
            // A case that ended early, or under TestCase, leaves the test's connection idle for the next case.
            if let test, test.depth > 0 { try? test.abortAllBlocks() }
        }
        return try runSteps()
    }

    var hasLamps: Bool { !lamps.isEmpty }

    func outcomeKind(of error: any Error) -> String? { DjangoError.kind(of: error) }

    mutating func afterStep() throws {}

    private mutating func record(_ event: CaseEvent? = nil) { journal.record(event) }

    // MARK: - Steps

    mutating func perform(_ step: Step) throws {
        guard let declaration = scenario.declaration(step.session) else { return }
        let name = step.lamp ?? ""
        if declaration.isWorker {
            workerReads.append(try plainRead(on: try pool.connection(for: declaration.name), as: declaration.name, lamp: name))
            return
        }
        if declaration.isApplication {
            try request(step.action, lamp: name, as: declaration)
            return
        }
        let model = DjangoModelOperations(connection: try testConnection(), counter: labels)
        switch step.action {
        case let .create(status):
            let instance = try model.create(status: status)
            lamps[name] = DjangoLamp(id: instance.id, instance: instance, created: instance)
            lampOrder.append(name)
        case .get, .lockingGet:
            let found = try model.get(try lampID(name), locking: step.action == .lockingGet)
            lamps[name]?.bind(found, cached: false)
        case .refresh, .refreshAttribute:
            try model.refresh(try instance(name))
        case .filter:
            let queryset = DjangoQuerySet(label: labels.nextQuerySet(), id: try lampID(name))
            lamps[name]?.queryset = queryset
        case .iterate:
            guard let queryset = lamps[name]?.queryset else {
                throw ScenarioStepError("'iterate' needs a QuerySet: add 'filter\(name.isEmpty ? "" : " " + name)' before it")
            }
            let (found, cached) = try model.iterate(queryset)
            lamps[name]?.bind(found, cached: cached)
        case let .set(status):
            try instance(name).status = status
        case .save:
            try model.save(try instance(name))
        case .atomic:
            try model.connection.enterAtomic()
        case .endAtomic, .abortAtomic:
            guard model.connection.depth > ownBlocksFloor else {
                throw ScenarioStepError("'\(step.action.keyword)' with no atomic block of the test's open")
            }
            try model.connection.exitAtomic(failed: step.action == .abortAtomic)
        case .sqlRead:
            _ = try plainRead(on: model.connection, lamp: name)
        case let .expect(status):
            expectedLamp = name
            let expectation = ExpectationResult(line: step.line, expected: status, actual: try instance(name).status)
            expectations.append(expectation)
            record(.expectation(session: step.session, expectation))
        default:
            throw ScenarioStepError("'\(step.action.keyword)' is not a Django step")
        }
    }

    /// One request to a view, on the connection the test wrapper gives it.
    private mutating func request(_ action: StepAction, lamp name: String, as declaration: SessionDeclaration) throws {
        let id = try lampID(name)
        let connection: DjangoConnection
        if wrapper.runsViewOnTestConnection {
            connection = try testConnection()
            connection.label = declaration.name
        } else {
            // A live server's request thread: a connection of its own, closed at the request's end.
            connection = DjangoConnection(connection: try pool.connection(for: declaration.name), label: declaration.name, trace: trace,
                                          isolation: viewIsolation(declaration))
        }
        defer {
            if wrapper.runsViewOnTestConnection { connection.label = scenario.testSession.name } else { pool.discard(declaration.name) }
        }
        let model = DjangoModelOperations(connection: connection, counter: labels)
        switch action {
        case .switchOn:
            try DjangoView.switchOn(id, with: model)
            appWrites[name] = .some("on")
        case .delete:
            try DjangoView.delete(id, with: model)
            appWrites[name] = .some(nil)
        default:
            throw ScenarioStepError("'\(action.keyword)' is not a view of the application")
        }
    }

    /// The test's connection; the first call opens it and, under TestCase, enters its two blocks.
    mutating func testConnection() throws -> DjangoConnection {
        if let test { return test }
        let declaration = scenario.testSession
        let made = DjangoConnection(connection: try pool.connection(for: declaration.name), label: declaration.name, trace: trace,
                                    isolation: declaration.isolation ?? settings.isolation)
        test = made
        if wrapper.wrapsTestInTransaction {
            for _ in 0..<Self.testCaseBlocks { try made.enterAtomic() }
        }
        return made
    }

    /// The blocks below the test's own: TestCase's.
    var ownBlocksFloor: Int { wrapper.wrapsTestInTransaction ? Self.testCaseBlocks : 0 }

    func lampID(_ name: String?) throws -> Int64 {
        guard let lamp = lamps[name ?? ""] else { throw DjangoError.doesNotExist(0) }
        return lamp.id
    }

    private func instance(_ name: String) throws -> DjangoInstance {
        guard let instance = lamps[name]?.instance else { throw DjangoError.doesNotExist(0) }
        return instance
    }

    var observedLamp: String { expectedLamp ?? (lamps[""] != nil ? "" : lampOrder.first ?? "") }

    static let statusByKeySQL = "SELECT status FROM lamps WHERE id = $1"

    /// `cursor.execute(SELECT status ...)` on a Django connection (in its transaction, if any).
    func plainRead(on connection: DjangoConnection, lamp: String) throws -> String? {
        try connection.execute(Self.statusByKeySQL, [String(try lampID(lamp))]).rows.first?.first ?? nil
    }

    /// A plain read on a connection outside Django (a worker, the observer), traced as `label`'s.
    func plainRead(on connection: Connection, as label: String, lamp: String) throws -> String? {
        let parameters: [String?] = [String(try lampID(lamp))]
        let result = try connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result), session: label, on: connection)
        return result.rows.first?.first ?? nil
    }

}

/// One lamp of a Django case: its key, the test's variable for it, and its QuerySet variable.
struct DjangoLamp {
    let id: Int64
    var instance: DjangoInstance?
    /// The instance `create` returned.
    let created: DjangoInstance?
    var queryset: DjangoQuerySet?
    /// Whether the variable was last bound by iterating a QuerySet's cache (no SQL).
    var boundFromCache = false

    init(id: Int64, instance: DjangoInstance?, created: DjangoInstance?) {
        self.id = id
        self.instance = instance
        self.created = created
    }

    mutating func bind(_ instance: DjangoInstance, cached: Bool) {
        self.instance = instance
        boundFromCache = cached
    }
}
