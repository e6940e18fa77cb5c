import LampSession
import Postgres

/// Runs one case of a Django scenario: the test's connection (in autocommit, or inside
/// TestCase's blocks), the views on the connection the test wrapper gives them, then the
/// observation (see docs/django-semantics.md).
struct DjangoCaseExecution: CaseRunning {
    let scenarioCase: ScenarioCase
    let pool: ConnectionPool
    let serverIsolation: String
    let trace = Trace()
    var onStep: (String) throws -> Void = { _ in }
    var stopAtFailedExpect = false
    var observesFixture = false

    private var events: [CaseEvent] = []
    private var drained = 0
    private let labels = DjangoLabels()
    /// The test's connection, opened by its first step (TestCase's blocks entered then).
    private var test: DjangoConnection?
    private var lamps: [String: DjangoLamp] = [:]
    private var lampOrder: [String] = []
    private var expectedLamp: String?
    private var expectations: [ExpectationResult] = []
    /// The view's last write to each lamp: `on`, or nil for a delete.
    private var appWrites: [String: String?] = [:]
    private var workerReads: [String?] = []
    private var stoppedAtLine: Int?

    /// TestCase's two blocks (class, test) around the test.
    private static let testCaseBlocks = 2

    init(scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String) {
        self.scenarioCase = scenarioCase
        self.pool = pool
        self.serverIsolation = serverIsolation
    }

    var settings: CaseSettings { scenarioCase.settings }
    var scenario: ScenarioDefinition { scenarioCase.scenario }
    var caseName: String { scenarioCase.name(serverIsolation: serverIsolation) }
    private var wrapper: FixtureRecipe { settings.fixture }

    /// The test's level as PostgreSQL spells it, then each view on a connection of its own that
    /// ran another: `repeatable read (S2: read committed)`.
    var isolationInEffect: String {
        func spelled(_ level: IsolationLevel) -> String { level == .serverDefault ? serverIsolation : level.rawValue }
        let testLevel = spelled(scenario.testSession.isolation ?? settings.isolation)
        guard !wrapper.runsViewOnTestConnection else { return testLevel }
        let others = scenario.sessions.filter(\.isApplication).compactMap { session -> String? in
            let level = spelled(session.isolation ?? settings.isolation)
            return level == testLevel ? nil : "\(session.name): \(level)"
        }
        return others.isEmpty ? testLevel : "\(testLevel) (\(others.joined(separator: ", ")))"
    }

    var observerLabel: String {
        var number = scenario.sessions.count + 1
        while scenario.declaration("S\(number)") != nil { number += 1 }
        return "S\(number)"
    }

    mutating func run() throws -> CaseResult {
        defer {
            // A case that ended early leaves the test's connection idle for the next case.
            if let test, test.depth > 0 { try? test.abortAllBlocks() }
        }
        for step in scenario.steps {
            let marker = StepMarker(step)
            record(.step(marker))
            do {
                try onStep(marker.title)
            } catch {
                throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
            }
            do {
                try perform(step)
            } catch {
                guard !lamps.isEmpty, let kind = DjangoError.kind(of: error) else {
                    throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
                }
                record()
                return try observe(after: CaseError(kind: kind, line: step.line, step: marker.title, message: "\(error)",
                                                    holder: (error as? CaseBlocked)?.holder))
            }
            if stopAtFailedExpect, case .expect = step.action, expectations.last?.held == false {
                stoppedAtLine = step.line
                break
            }
        }
        return try observe(after: nil)
    }

    private mutating func record(_ event: CaseEvent? = nil) {
        events += trace.entries[drained...].map(CaseEvent.session)
        drained = trace.entries.count
        if let event { events.append(event) }
    }

    // MARK: - Steps

    private mutating func perform(_ step: Step) throws {
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
                                          isolation: declaration.isolation ?? settings.isolation)
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
    private mutating func testConnection() throws -> DjangoConnection {
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
    private var ownBlocksFloor: Int { wrapper.wrapsTestInTransaction ? Self.testCaseBlocks : 0 }

    private func lampID(_ name: String) throws -> Int64 {
        guard let lamp = lamps[name] else { throw DjangoError.doesNotExist(0) }
        return lamp.id
    }

    private func instance(_ name: String) throws -> DjangoInstance {
        guard let instance = lamps[name]?.instance else { throw DjangoError.doesNotExist(0) }
        return instance
    }

    private var observedLamp: String { expectedLamp ?? (lamps[""] != nil ? "" : lampOrder.first ?? "") }

    private static let statusByKeySQL = "SELECT status FROM lamps WHERE id = $1"

    /// `cursor.execute(SELECT status ...)` on a Django connection (in its transaction, if any).
    private func plainRead(on connection: DjangoConnection, lamp: String) throws -> String? {
        try connection.execute(Self.statusByKeySQL, [String(try lampID(lamp))]).rows.first?.first ?? nil
    }

    /// A plain read on a connection outside Django (a worker, the observer), traced as `label`'s.
    private func plainRead(on connection: Connection, as label: String, lamp: String) throws -> String? {
        let parameters: [String?] = [String(try lampID(lamp))]
        let result = try connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result), session: label, on: connection)
        return result.rows.first?.first ?? nil
    }

    // MARK: - Observation

    /// After the last step (`error` nil), or after the step that raised `error`: the object and
    /// the test's transaction (not after an error), other connections, the test's blocks left,
    /// the committed status, the wrapper's teardown.
    private mutating func observe(after error: CaseError?) throws -> CaseResult {
        let testName = scenario.testSession.name
        var phase = "read the instance's status"
        do {
            try onStep("observe")
            let test = try testConnection()
            var objectStatus: String?
            var transactionStatus: String?
            var transactionWriter: RowWriter?
            if error == nil {
                record(.observation(ObservationMarker(.assertion, session: testName)))
                objectStatus = lamps[observedLamp]?.instance?.status
                phase = "\(CaseError.transactionReadPhase) in \(testName)'s transaction"
                record(.observation(ObservationMarker(.transactionRead, session: testName)))
                transactionStatus = try plainRead(on: test, lamp: observedLamp)
                if test.inTransaction, let version = try RowVersions.visibleVersion(key: try lampID(observedLamp), on: test.connection) {
                    transactionWriter = try RowVersions.writer(of: version, on: test.connection)
                }
            }
            var other: String?
            if observesFixture {
                phase = "read on a brand-new connection"
                record(.observation(ObservationMarker(.otherConnectionRead, session: observerLabel)))
                other = try plainRead(on: try pool.connection(for: observerLabel), as: observerLabel, lamp: observedLamp)
            }
            var committed: String?
            if wrapper.wrapsTestInTransaction {
                // Nothing the test does is ever committed: its "committed" is what TestCase's transaction holds.
                phase = "read in TestCase's transaction"
                record(.observation(ObservationMarker(.committedRead, session: testName)))
                committed = try plainRead(on: test, lamp: observedLamp)
            }
            phase = "leave \(testName)'s atomic blocks"
            record(.observation(ObservationMarker(.close, session: testName)))
            while test.depth > ownBlocksFloor { try test.exitAtomic(failed: true) }
            if !wrapper.wrapsTestInTransaction {
                phase = "read the committed status"
                record(.observation(ObservationMarker(.committedRead, session: observerLabel)))
                committed = try plainRead(on: try pool.connection(for: observerLabel), as: observerLabel, lamp: observedLamp)
            }
            var fixture: FixtureObservation?
            phase = "the test wrapper's teardown"
            if observesFixture {
                let appWrite = error == nil ? appWrites[observedLamp] : nil
                fixture = try tearDown(test, otherConnectionStatus: other, appChangeSurvives: appWrite.map { transactionStatus == $0 },
                                       appChangeCommitted: appWrite.map { committed == $0 })
            } else if wrapper.wrapsTestInTransaction {
                try test.rollBackAllBlocks()
            }
            record()
            let lamp = lamps[observedLamp]
            var observation = Observation(
                objectStatus: objectStatus, transactionStatus: transactionStatus, committedStatus: committed,
                sameObject: lamp.map { $0.instance != nil && $0.instance === $0.created } ?? false,
                expectationsHeld: error == nil && (expectations.isEmpty ? objectStatus == "on" : expectations.allSatisfy(\.held)),
                lamp: observedLamp.isEmpty ? nil : observedLamp, fixture: fixture,
                workerReads: scenario.hasWorker ? workerReads : nil)
            if expectations.isEmpty && error == nil { observation.unasserted = true }
            observation.transactionRowWriter = transactionWriter
            observation.objectLayer = lamp?.boundFromCache == true ? .querysetCache : .instanceCopy
            var result = CaseResult(
                scenario: scenario.name, flavor: .sqlalchemy, settings: settings, isolationInEffect: isolationInEffect,
                lampID: try lampID(observedLamp), observation: observation, expectations: expectations, appResponses: [],
                events: events, sessionLabels: scenario.sessions.map(\.name), observerLabel: observerLabel,
                workerLabels: scenario.hasWorker ? scenario.sessions.filter(\.isWorker).map(\.name) : nil,
                error: error, stoppedAtLine: stoppedAtLine)
            result.orm = .django
            return result
        } catch let error as ScenarioRunError {
            throw error
        } catch {
            throw ScenarioRunError(caseName: caseName, step: "observe: \(phase)", underlying: error)
        }
    }

    /// The wrapper's teardown (TestCase: roll its blocks back; else flush), then what a
    /// brand-new connection sees.
    private mutating func tearDown(_ test: DjangoConnection, otherConnectionStatus: String?, appChangeSurvives: Bool?,
                                   appChangeCommitted: Bool?) throws -> FixtureObservation {
        if wrapper.wrapsTestInTransaction {
            record(.observation(ObservationMarker(.teardown, session: scenario.testSession.name)))
            try test.rollBackAllBlocks()
        } else {
            record(.observation(ObservationMarker(.teardown, session: observerLabel)))
            let connection = try pool.connection(for: observerLabel)
            let result = try connection.execute(DjangoSQL.flush)
            trace.record(TracedStatement(purpose: .plain, sql: DjangoSQL.flush, parameters: [], result: result), session: observerLabel, on: connection)
        }
        record(.observation(ObservationMarker(.afterTeardownRead, session: observerLabel)))
        let after = try plainRead(on: try pool.connection(for: observerLabel), as: observerLabel, lamp: observedLamp)
        return FixtureObservation(otherConnectionStatus: otherConnectionStatus, afterTeardownStatus: after,
                                  appChangeSurvives: appChangeSurvives, appChangeCommitted: appChangeCommitted)
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
