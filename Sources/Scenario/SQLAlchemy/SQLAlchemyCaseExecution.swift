import Foundation
import LampApp
import LampSession
import Postgres

/// One case under SQLAlchemy's rules: its sessions over the pool's connections, each step a
/// session call. The engine runs the step loop (`ProfileCase`) and the observation
/// (`ObservableCase`); replica routing is in `+Replica`, the fixture recipe's wiring in `+Wiring`,
/// the observation's SQLAlchemy side in `+Observation`.
///
/// The `switch` in `perform` is the one place where a step becomes a session call.
struct SQLAlchemyCaseExecution: ObservableCase {
    let scenarioCase: ScenarioCase
    let pool: ConnectionPool
    let serverIsolation: String
    /// Whose rules the sessions follow.
    let flavor: SessionFlavor
    /// The event log: what the sessions record, between the case's own markers.
    var journal = CaseJournal()
    var trace: Trace { journal.trace }
    /// Told the case and step about to run (for messages after an interruption).
    var onStep: (String) throws -> Void = { _ in }
    /// pytest's behaviour: the case ends at the first `expect` that fails.
    var stopAtFailedExpect = false
    /// The run shows the fixture dimension: observe other connections and run the recipe's teardown.
    var observesFixture = false

    var testSessions: [String: any ORMSession] = [:]
    /// The case's lamps by name (`""`: the unnamed lamp), and their names in order of creation.
    var lamps: [String: CaseLamp] = [:]
    var lampOrder: [String] = []
    /// The lamp the last `expect` named: the one the observation reads.
    var expectedLamp: String?
    var expectations: [ExpectationResult] = []
    var appResponses: [SwitchOn.Response] = []
    /// The application's last write to each lamp it wrote: `on` after a switch-on, nil (no row)
    /// after a delete; `app_change_survives` asks whether the test's connection still reads it.
    var appWrites: [String: String?] = [:]
    /// What each worker `sql-read` returned, in step order.
    var workerReads: [String?] = []
    var stoppedAtLine: Int?
    /// The LSN the application last reported (`report-lsn`).
    var reportedLSN: String?
    /// Standby connections (by session) on which this case paused replay.
    var pausedReplay: Set<String> = []
    /// When each `sticky=` session last wrote (its `create`'s commit); cleared by its `close`.
    var ownWrites: [String: ContinuousClock.Instant] = [:]
    /// The cluster each test session's current connection is on (a sticky one may read the primary).
    var sessionClusters: [String: String] = [:]
    /// How long the application's last COMMIT took (runs with a standby report it).
    var appCommitMilliseconds: Int?
    /// In a run with a standby: the primary's WAL insert position right after the application's
    /// last request (untraced, on the observer's connection): the write the standby must have replayed.
    var appRequestLSN: String?
    /// In a run with a standby: what it had replayed when the test's current transaction on it took its snapshot.
    var standbySnapshot: StandbySnapshot?
    /// The shared connection's outer transaction, under the recipes that join one.
    var external: ExternalTransaction?
    /// Where the test session read at the observation (noted before it closes).
    var observedCluster: String?
    /// The row version each test object's status was last loaded from (for the stale layer).
    var rowVersions = RowVersions()

    init(scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String, flavor: SessionFlavor = .sqlalchemy) {
        self.scenarioCase = scenarioCase
        self.pool = pool
        self.serverIsolation = serverIsolation
        self.flavor = flavor
    }


    /// The isolation level the test session ran, as PostgreSQL spells it (the server's default
    /// resolved), followed by each application session with a connection of its own that ran
    /// another: `repeatable read (S2: read committed)`.
    var isolationInEffect: IsolationInEffect {
        // Under override-get-db and the join recipes, the application runs on the test's connection.
        let applications = settings.fixture != .independent ? [] : scenario.sessions.filter { $0.role == .application }
            .map { (session: $0.name, level: $0.isolation ?? settings.isolation) }
        return resolvedIsolation(test: scenario.testSession.isolation ?? settings.isolation, applications: applications)
    }

    mutating func run() throws -> CaseResult {
        defer {
            closeSessions()
            // A case that ended early leaves the shared connection as the next case needs it.
            if let external { try? external.tearDown(trace: Trace(), label: scenario.testSession.name) }
        }
        return try runSteps()
    }

    var hasLamps: Bool { !lamps.isEmpty }

    func outcomeKind(of error: any Error) -> String? { CaseError.kind(of: error) }

    mutating func afterStep() throws { try noteLoadedRows() }

    /// Notes the row version behind each test object's status that the last step loaded (untraced
    /// reads on the test session's connection, only inside an open transaction on the primary, so
    /// they change nothing: no BEGIN, no snapshot).
    mutating func noteLoadedRows() throws {
        guard rowVersions.loadsMoved() else { return }
        var objects = lamps.values.compactMap(\.object)
        var readable: [(session: any ORMSession, connection: Connection?)] = []
        for (name, session) in testSessions {
            objects += session.persistentObjects
            let primary = scenario.declaration(name).map { readCluster($0) == ClusterSet.primary } ?? false
            let open = session.connection.transactionStatus == .inTransaction
            readable.append((session, primary && open ? session.connection : nil))
        }
        try rowVersions.note(objects) { object in
            guard let session = object.session else { return nil }
            return readable.first { $0.session === session }?.connection ?? nil
        }
    }

    /// Appends what the sessions recorded since the last call, then `event`.
    mutating func record(_ event: CaseEvent? = nil) { journal.record(event) }

    // MARK: - Steps

    mutating func perform(_ step: Step) throws {
        guard let declaration = scenario.declaration(step.session) else { return }
        if declaration.isWorker {
            // Another process: its own connection, each read a statement of its own (what it sees now).
            if step.action == .sqlRead { workerReads.append(try workerRead(as: declaration, lamp: step.lamp ?? "")) }
            return
        }
        if declaration.isApplication {
            if step.action == .reportLSN {
                try reportLSN(as: declaration)
                return
            }
            let id = try lampID(step.lamp)
            let request = try SynchronousCommit.prepare(declaration, pool: pool, trace: trace)
            defer { request?.finish() }
            let start = trace.entries.count
            switch step.action {
            case let .switchOn(mode):
                appResponses.append(try SwitchOn.handle(id: id, provider: try provider(for: declaration), mode: mode ?? settings.app))
                appWrites[step.lamp ?? ""] = .some("on")
            case let .delete(mode):
                try DeleteLamp.handle(id: id, provider: try provider(for: declaration), mode: mode ?? settings.app)
                appWrites[step.lamp ?? ""] = .some(nil)
            default: break
            }
            if let commit = trace.entries.indices.dropFirst(start).last(where: {
                if case .statement(let statement) = trace.entries[$0].kind { return statement.purpose == .commit } else { return false }
            }) {
                appCommitMilliseconds = trace.milliseconds(of: commit)
            }
            if pool.clusters.hasStandby {
                appRequestLSN = try ReplayWait.currentLSN(on: try pool.connection(for: observerLabel))
            }
            return
        }
        if declaration.cluster == ClusterSet.standby, case let .create(status) = step.action {
            try createOnPrimary(for: declaration, status: status, lamp: step.lamp ?? "")
            return
        }
        let session = try testSession(declaration)
        try noteStandbySnapshot(declaration, connection: session.connection)
        let name = step.lamp ?? ""
        switch step.action {
        case let .create(status):
            try create(status: status, lamp: name, in: session)
        case let .select(populateExisting):
            let id = try lampID(name)
            guard let found = try session.select(Lamp.model, key: id, populateExisting: populateExisting) else {
                throw LampAppError.lampNotFound(id)
            }
            lamps[name]?.object = found
        case .refresh: try session.refresh(try object(name))
        case .expire: try session.expire(try object(name))
        case .expireAll: session.expireAll()
        case .close:
            try session.close()
            if declaration.stickyMilliseconds != nil {
                // A new request: no write of its own, so its next session reads where reads= says.
                ownWrites[declaration.name] = nil
                testSessions[declaration.name] = nil
            }
        case .commit: try session.commit()
        case .rollback: try session.rollback()
        case .flush: try session.flush()
        case .sqlRead: _ = try readStatus(in: session, lamp: name)
        case let .expect(status):
            expectedLamp = name
            let expectation = ExpectationResult(line: step.line, expected: status, actual: try object(name, attribute: "status").status())
            expectations.append(expectation)
            record(.expectation(session: step.session, expectation))
        case let .read(attribute, awaited):
            switch attribute {
            case .status: _ = try object(name, attribute: "status").value("status", awaited: awaited)
            case .id: _ = try object(name, attribute: "id").identity(awaited: awaited)
            }
        case .get:
            // session.get returns None for a missing row: the test's variable then holds None.
            let found = try session.get(Lamp.model, key: try lampID(name))
            lamps[name]?.object = found
        case .selectForUpdate:
            let id = try lampID(name)
            guard let found = try session.selectForUpdate(Lamp.model, key: id) else {
                throw LampAppError.lampNotFound(id)
            }
            lamps[name]?.object = found
        case let .refreshAttribute(attribute): try session.refresh(try object(name), attributes: [attribute])
        case .expunge: try session.expunge(try object(name))
        case .add: try session.add(try object(name))
        case let .set(status): try object(name, attribute: "status").setStatus(status)
        case .selectAll:
            let found = try session.selectAll(Lamp.model, fromKey: try lampID(lampOrder.first))
            for (lamp, entry) in lamps {
                if let object = found.first(where: { $0.key == entry.id }) { lamps[lamp]?.object = object }
            }
        case .merge:
            let merged = try session.merge(try object(name))
            lamps[name]?.object = merged
        case .beginNested: try session.beginNested()
        case .release: try session.releaseNested()
        case .rollbackNested: try session.rollbackNested()
        case .switchOn, .reportLSN, .delete: break
        case .waitLSN: try waitForReportedLSN(in: readCluster(declaration), session: declaration.name, connection: session.connection)
        case .filter, .iterate, .lockingGet, .save, .atomic, .endAtomic, .abortAtomic:
            // The parser refuses them in a SQLAlchemy file.
            throw ScenarioStepError("'\(step.action.keyword)' is not a SQLAlchemy step")
        case .pauseReplay, .resumeReplay:
            try controlReplay(pause: step.action == .pauseReplay, in: readCluster(declaration), session: declaration.name,
                              connection: session.connection)
        }
    }

    /// Adds a new lamp and commits: it becomes the case's lamp of that name and the test's object for it.
    mutating func create(status: String?, lamp name: String, in session: any ORMSession) throws {
        let lamp = Lamp.new(status: status)
        try session.add(lamp)
        try session.commit()
        guard let key = lamp.key else { throw LampAppError.lampNotFound(0) }
        lamps[name] = CaseLamp(id: key, object: lamp, created: lamp)
        lampOrder.append(name)
    }

    /// The key of the lamp of that name (nil or `""`: the unnamed lamp); the parser made sure it was created.
    func lampID(_ name: String?) throws -> Int64 {
        guard let lamp = lamps[name ?? ""] else { throw LampAppError.lampNotFound(0) }
        return lamp.id
    }

    /// The test's object for the lamp; `NoneObject` when its variable holds None (an attribute
    /// use names `attribute`; a session call passes nil).
    func object(_ name: String, attribute: String? = nil) throws -> ORMObject {
        guard let lamp = lamps[name] else { throw LampAppError.lampNotFound(0) }
        guard let object = lamp.object else { throw NoneObject(lamp: name, attribute: attribute) }
        return object
    }

    /// The lamp the observation reads: the one the last `expect` named, else the unnamed lamp,
    /// else the first created.
    var observedLamp: String {
        expectedLamp ?? (lamps[""] != nil ? "" : lampOrder.first ?? "")
    }

    static let statusByKeySQL = "SELECT status FROM lamps WHERE id = $1"
    static let isolationSQL = "SELECT current_setting('transaction_isolation')"

    func readStatus(in session: any ORMSession, lamp: String) throws -> String? {
        try session.execute(Self.statusByKeySQL, [String(try lampID(lamp))]).rows.first?.first ?? nil
    }

    /// Closes the test sessions (ROLLBACK of anything open); application sessions close themselves.
    mutating func closeSessions() {
        for name in scenario.sessions.map(\.name) {
            guard let session = testSessions[name] else { continue }
            if session.connection.isClosed { continue }
            _ = try? session.close()
        }
        testSessions.removeAll()
    }
}
