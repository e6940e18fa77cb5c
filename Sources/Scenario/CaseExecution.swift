import Foundation
import LampApp
import LampSession
import Postgres

/// Runs one case: builds its sessions over the pool's connections, performs each step, then
/// observes (object status, what S1's transaction sees, same object, committed status).
///
/// The `switch` in `perform` is the one place where a step becomes a session call.
struct CaseExecution {
    let scenarioCase: ScenarioCase
    let pool: ConnectionPool
    let serverIsolation: String
    /// Whose rules the sessions follow.
    let flavor: SessionFlavor
    /// What the sessions record; drained into `events` in order, between the case's own markers.
    let trace = Trace()
    /// Told the case and step about to run (for messages after an interruption).
    var onStep: (String) throws -> Void = { _ in }
    /// pytest's behaviour: the case ends at the first `expect` that fails.
    var stopAtFailedExpect = false
    /// The run shows the fixture dimension: observe other connections and run the recipe's teardown.
    var observesFixture = false

    private var events: [CaseEvent] = []
    private var drained = 0
    private var testSessions: [String: any ORMSession] = [:]
    /// The case's lamps by name (`""`: the unnamed lamp), and their names in order of creation.
    private var lamps: [String: CaseLamp] = [:]
    private var lampOrder: [String] = []
    /// The lamp the last `expect` named: the one the observation reads.
    private var expectedLamp: String?
    private var expectations: [ExpectationResult] = []
    private var appResponses: [SwitchOn.Response] = []
    /// The application's last write to each lamp it wrote: `on` after a switch-on, nil (no row)
    /// after a delete; `app_change_survives` asks whether the test's connection still reads it.
    private var appWrites: [String: String?] = [:]
    /// What each worker `sql-read` returned, in step order.
    private var workerReads: [String?] = []
    private var stoppedAtLine: Int?
    /// The LSN the application last reported (`report-lsn`).
    private var reportedLSN: String?
    /// Standby connections (by session) on which this case paused replay.
    private var pausedReplay: Set<String> = []
    /// When each `sticky=` session last wrote (its `create`'s commit); cleared by its `close`.
    private var ownWrites: [String: ContinuousClock.Instant] = [:]
    /// The cluster each test session's current connection is on (a sticky one may read the primary).
    private var sessionClusters: [String: String] = [:]
    /// How long the application's last COMMIT took (runs with a standby report it).
    private var appCommitMilliseconds: Int?
    /// In a run with a standby: the primary's WAL insert position right after the application's
    /// last request (untraced, on the observer's connection): the write the standby must have replayed.
    private var appRequestLSN: String?
    /// In a run with a standby: what it had replayed when the test's current transaction on it took its snapshot.
    private var standbySnapshot: StandbySnapshot?
    /// The shared connection's outer transaction, under the recipes that join one.
    private var external: ExternalTransaction?
    /// The row version each test object's status was last loaded from (for the stale layer).
    private var rowVersions = RowVersions()

    init(scenarioCase: ScenarioCase, pool: ConnectionPool, serverIsolation: String, flavor: SessionFlavor = .sqlalchemy) {
        self.scenarioCase = scenarioCase
        self.pool = pool
        self.serverIsolation = serverIsolation
        self.flavor = flavor
    }

    var settings: CaseSettings { scenarioCase.settings }
    /// The case's name in messages, with the server's default isolation resolved.
    var caseName: String { scenarioCase.name(serverIsolation: serverIsolation) }
    var scenario: ScenarioDefinition { scenarioCase.scenario }

    /// The isolation level the test session ran, as PostgreSQL spells it (the server's default
    /// resolved), followed by each application session with a connection of its own that ran
    /// another: `repeatable read (S2: read committed)`.
    var isolationInEffect: String {
        func spelled(_ level: IsolationLevel) -> String { level == .serverDefault ? serverIsolation : level.rawValue }
        let test = spelled(scenario.testSession.isolation ?? settings.isolation)
        // Under override-get-db and the join recipes, the application runs on the test's connection.
        let ownConnections = settings.fixture == .independent
        let others = scenario.sessions.filter { ownConnections && $0.role == .application }.compactMap { session -> String? in
            let level = spelled(session.isolation ?? settings.isolation)
            return level == test ? nil : "\(session.name): \(level)"
        }
        return others.isEmpty ? test : "\(test) (\(others.joined(separator: ", ")))"
    }

    /// The label of the third connection that reads the committed truth: `S<n+1>`.
    var observerLabel: String {
        var number = scenario.sessions.count + 1
        while scenario.declaration("S\(number)") != nil { number += 1 }
        return "S\(number)"
    }

    mutating func run() throws -> CaseResult {
        defer {
            closeSessions()
            // A case that ended early leaves the shared connection as the next case needs it.
            if let external { try? external.tearDown(trace: Trace(), label: scenario.testSession.name) }
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
                // An ORM error or a transaction the server rolled back is this case's outcome;
                // anything else (a lost connection, a rejected statement) ends the run.
                guard !lamps.isEmpty, let kind = CaseError.kind(of: error) else {
                    throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
                }
                record()
                return try observeAfterError(CaseError(kind: kind, line: step.line, step: marker.title, message: "\(error)",
                                                       holder: (error as? CaseBlocked)?.holder))
            }
            do {
                try noteLoadedRows()
            } catch {
                throw ScenarioRunError(caseName: caseName, step: marker.title, underlying: error)
            }
            if stopAtFailedExpect, case .expect = step.action, expectations.last?.held == false {
                stoppedAtLine = step.line
                break
            }
        }
        return try observe()
    }

    /// Notes the row version behind each test object's status that the last step loaded (untraced
    /// reads on the test session's connection, only inside an open transaction on the primary, so
    /// they change nothing: no BEGIN, no snapshot).
    private mutating func noteLoadedRows() throws {
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
    private mutating func record(_ event: CaseEvent? = nil) {
        events += trace.entries[drained...].map(CaseEvent.session)
        drained = trace.entries.count
        if let event { events.append(event) }
    }

    // MARK: - Steps

    private mutating func perform(_ step: Step) throws {
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
            if pool.clusters.names.count > 1 {
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

    // MARK: - Replica steps

    private static let walPositionSQL = "SELECT pg_current_wal_insert_lsn()::text"
    private static let replayReachedSQL = "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed, pg_last_wal_replay_lsn()::text AS replay_lsn"

    /// `report-lsn`: the application's own statement after its commit, on its primary connection.
    /// The insert position, not `pg_current_wal_lsn()` (the write position), which lags the commit
    /// record while an asynchronous commit (the embedded primary's synchronous_commit=off) is unwritten.
    private mutating func reportLSN(as declaration: SessionDeclaration) throws {
        let connection = try pool.connection(for: declaration.name)
        let result = try connection.execute(Self.walPositionSQL)
        trace.record(TracedStatement(purpose: .walPosition, sql: Self.walPositionSQL, parameters: [], result: result),
                     session: declaration.name, on: connection)
        reportedLSN = result.rows.first?.first ?? nil
    }

    /// `wait-lsn`: polls the session's server (outside its ORM transaction) until it has replayed
    /// the reported LSN; records the last poll, with the replay LSN it saw.
    private func waitForReportedLSN(in cluster: String, session: String, connection: Connection) throws {
        guard let lsn = reportedLSN else {
            throw ScenarioStepError("wait-lsn: no LSN reported yet (an app session's 'report-lsn' step comes first)")
        }
        // The standby cannot pass a position just past an empty page's header: wait for the boundary.
        let target = cluster == ClusterSet.primary ? lsn : try WALPosition.reachable(lsn, on: connection)
        let start = Date()
        while true {
            let result = try connection.execute(Self.replayReachedSQL, [target])
            // On the primary, pg_last_wal_replay_lsn() is null: its own commits are there.
            let reached = cluster == ClusterSet.primary || result.rows.first?.first == "t"
            if reached || Date().timeIntervalSince(start) > ReplayWait.timeout {
                trace.record(TracedStatement(purpose: .replayWait(lsn: lsn), sql: Self.replayReachedSQL, parameters: [target], result: result),
                             session: session, on: connection)
                if !reached { throw ReplayWait.Timeout(lsn: lsn, seconds: ReplayWait.timeout) }
                return
            }
            usleep(ReplayWait.pollInterval)
        }
    }

    /// `pause-replay` / `resume-replay` on the session's standby.
    private mutating func controlReplay(pause: Bool, in cluster: String, session name: String, connection: Connection) throws {
        guard cluster == ClusterSet.standby else {
            throw ScenarioStepError("\(pause ? "pause-replay" : "resume-replay"): session \(name) reads the primary; replay is a standby's (reads=standby)")
        }
        let sql = pause ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()"
        let result = try connection.execute(sql)
        trace.record(TracedStatement(purpose: .replayControl(pause: pause), sql: sql, parameters: [], result: result),
                     session: name, on: connection)
        if pause { pausedReplay.insert(name) } else { pausedReplay.remove(name) }
    }

    /// Resumes replay a case left paused (before measuring the lag, and before the next case).
    private mutating func resumePausedReplay() throws {
        for name in pausedReplay {
            guard let declaration = scenario.declaration(name) else { continue }
            _ = try pool.connection(for: name, cluster: declaration.cluster).execute("SELECT pg_wal_replay_resume()")
        }
        pausedReplay.removeAll()
    }

    /// Adds a new lamp and commits: it becomes the case's lamp of that name and the test's object for it.
    private mutating func create(status: String?, lamp name: String, in session: any ORMSession) throws {
        let lamp = Lamp.new(status: status)
        try session.add(lamp)
        try session.commit()
        guard let key = lamp.key else { throw LampAppError.lampNotFound(0) }
        lamps[name] = CaseLamp(id: key, object: lamp, created: lamp)
        lampOrder.append(name)
    }

    /// `create` for a session that reads a standby: the write goes to the primary (through the
    /// session's writer, its own connection there), and the test starts once the standby has
    /// replayed it (a fixture's rows are there before the test reads them).
    private mutating func createOnPrimary(for declaration: SessionDeclaration, status: String?, lamp: String) throws {
        let connection = try pool.connection(for: declaration.name + "@" + ClusterSet.primary)
        let writer = flavor.makeSession(
            connection: connection, options: options(declaration, defaultExpireOnCommit: settings.expireOnCommit), trace: trace)
        try create(status: status, lamp: lamp, in: writer)
        if declaration.stickyMilliseconds != nil { ownWrites[declaration.name] = .now }
        try writer.close()
        let lsn = try ReplayWait.currentLSN(on: connection)
        try ReplayWait.until(lsn, on: try pool.connection(for: declaration.name, cluster: declaration.cluster))
    }

    private func options(_ declaration: SessionDeclaration, defaultExpireOnCommit: Bool) -> SessionOptions {
        SessionOptions(expireOnCommit: declaration.expireOnCommit ?? defaultExpireOnCommit,
                       isolation: declaration.isolation ?? settings.isolation,
                       label: declaration.name, autoflush: declaration.autoflush ?? true)
    }

    /// Where a test session's reads go: its `reads=` cluster, or the primary (through its writer's
    /// connection) while a `sticky=` window after its own write is open. Decided when the session
    /// starts (after its `create`, or after a `close`), as a new request's routing would be.
    private func readCluster(_ declaration: SessionDeclaration) -> String {
        if let cluster = sessionClusters[declaration.name], testSessions[declaration.name] != nil { return cluster }
        if let window = declaration.stickyMilliseconds, let wrote = ownWrites[declaration.name],
           ContinuousClock.now - wrote < .milliseconds(window) {
            return ClusterSet.primary
        }
        return declaration.cluster
    }

    private mutating func testSession(_ declaration: SessionDeclaration) throws -> any ORMSession {
        if let session = testSessions[declaration.name] { return session }
        let cluster = readCluster(declaration)
        let connection = cluster == declaration.cluster
            ? try pool.connection(for: declaration.name, cluster: cluster)
            : try pool.connection(for: declaration.name + "@" + ClusterSet.primary)
        sessionClusters[declaration.name] = cluster
        let session = flavor.driven(by: settings.driver).makeSession(
            connection: connection, options: options(declaration, defaultExpireOnCommit: settings.expireOnCommit), trace: trace,
            external: try externalTransaction())
        testSessions[declaration.name] = session
        return session
    }

    private mutating func provider(for declaration: SessionDeclaration) throws -> SessionProvider {
        if case let .applicationUsing(target) = declaration.role, let used = scenario.declaration(target) {
            return .shared(try testSession(used))
        }
        if settings.fixture.sharesTestSession { return .shared(try testSession(scenario.testSession)) }
        let pool = self.pool, trace = self.trace, flavor = self.flavor
        // An application session left open takes SQLAlchemy's default, expire_on_commit=true.
        let options = options(declaration, defaultExpireOnCommit: true)
        if let external = try externalTransaction() {
            return .own { flavor.makeSession(connection: external.connection, options: options, trace: trace, external: external) }
        }
        return .own {
            flavor.makeSession(connection: try pool.connection(for: declaration.name, cluster: declaration.cluster),
                               options: options, trace: trace)
        }
    }

    /// Under the join recipes: the outer transaction on the test session's connection (made once).
    private mutating func externalTransaction() throws -> ExternalTransaction? {
        guard let mode = settings.fixture.joinMode else { return nil }
        if let external { return external }
        let test = scenario.testSession
        let made = ExternalTransaction(connection: try pool.connection(for: test.name, cluster: test.cluster), mode: mode,
                                       isolation: test.isolation ?? settings.isolation)
        external = made
        return made
    }

    /// The key of the lamp of that name (nil or `""`: the unnamed lamp); the parser made sure it was created.
    private func lampID(_ name: String?) throws -> Int64 {
        guard let lamp = lamps[name ?? ""] else { throw LampAppError.lampNotFound(0) }
        return lamp.id
    }

    /// The test's object for the lamp; `NoneObject` when its variable holds None (an attribute
    /// use names `attribute`; a session call passes nil).
    private func object(_ name: String, attribute: String? = nil) throws -> ORMObject {
        guard let lamp = lamps[name] else { throw LampAppError.lampNotFound(0) }
        guard let object = lamp.object else { throw NoneObject(lamp: name, attribute: attribute) }
        return object
    }

    /// The lamp the observation reads: the one the last `expect` named, else the unnamed lamp,
    /// else the first created.
    private var observedLamp: String {
        expectedLamp ?? (lamps[""] != nil ? "" : lampOrder.first ?? "")
    }

    private static let statusByKeySQL = "SELECT status FROM lamps WHERE id = $1"
    private static let isolationSQL = "SELECT current_setting('transaction_isolation')"

    /// Before the test session acts on the standby outside a transaction (its next statement may
    /// begin one): notes what the standby has replayed, for the snapshot that transaction takes.
    private mutating func noteStandbySnapshot(_ declaration: SessionDeclaration, connection: Connection) throws {
        guard declaration.name == scenario.testSession.name, readCluster(declaration) == ClusterSet.standby,
              !connection.transactionStatus.isInTransaction else { return }
        standbySnapshot = try StandbySnapshot.note(appRequestLSN: appRequestLSN, on: connection)
    }

    private func readStatus(in session: any ORMSession, lamp: String) throws -> String? {
        try session.execute(Self.statusByKeySQL, [String(try lampID(lamp))]).rows.first?.first ?? nil
    }

    // MARK: - Observation

    private mutating func observe() throws -> CaseResult {
        let test = scenario.testSession
        var phase = "read the object's status"
        do {
            try onStep("observe")
            if let session = testSessions[test.name] { try noteStandbySnapshot(test, connection: session.connection) }
            record(.observation(ObservationMarker(.assertion, session: test.name)))
            let objectStatus: String?
            do {
                objectStatus = try object(observedLamp, attribute: "status").status()
            } catch {
                return try observationFailed(error, phase: phase)
            }
            phase = "note the row version the object's status came from"
            try noteLoadedRows()
            phase = "\(CaseError.transactionReadPhase) in \(test.name)'s transaction"
            record(.observation(ObservationMarker(.transactionRead, session: test.name)))
            let session = try testSession(test)
            let readFrom = readCluster(test)
            var behind: Bool?
            if readFrom == ClusterSet.standby {
                // The read below takes its snapshot now, unless a repeatable-read or serializable
                // transaction already took one at its first statement.
                let status = session.connection.transactionStatus
                if try !status.isInTransaction || status == .inTransaction
                    && session.connection.execute(Self.isolationSQL).rows.first?.first == IsolationLevel.readCommitted.rawValue {
                    standbySnapshot = try StandbySnapshot.note(appRequestLSN: appRequestLSN, on: session.connection)
                }
                behind = standbySnapshot?.standbyBehind(lastRequestLSN: appRequestLSN) ?? false
            }
            let transactionStatus: String?
            do {
                // The session's execute autoflushes first: a pending change to a deleted row fails here.
                transactionStatus = try readStatus(in: session, lamp: observedLamp)
            } catch {
                return try observationFailed(error, phase: phase)
            }
            phase = "pg_xact_status of the row versions in \(test.name)'s transaction"
            let writers = readFrom == ClusterSet.primary ? try rowWriters(objectStatus: objectStatus, on: session.connection) : (nil, nil)
            phase = "read on a brand-new connection"
            let (other, joinedCommitted) = try observeOtherConnections()
            phase = "close \(test.name)"
            record(.observation(ObservationMarker(.close, session: test.name)))
            closeSessions()
            phase = "read the committed status"
            let committed = external == nil ? try observeCommitted() : joinedCommitted
            phase = "the fixture's teardown"
            let appWrite = appWrites[observedLamp]
            let fixture = observesFixture ? try tearDownFixture(
                otherConnectionStatus: other, appChangeSurvives: appWrite.map { transactionStatus == $0 },
                appChangeCommitted: appWrite.map { committed == $0 }) : nil
            var replayLag: Int?
            try resumePausedReplay()
            if readFrom == ClusterSet.standby {
                // How long the standby still needed to replay what the primary had committed.
                phase = "wait for the standby's replay"
                let lsn = try ReplayWait.currentLSN(on: try pool.connection(for: observerLabel))
                replayLag = try ReplayWait.until(lsn, on: try pool.connection(for: test.name, cluster: test.cluster))
            }
            record()
            let held = expectations.isEmpty ? objectStatus == "on" : expectations.allSatisfy(\.held)
            var observation = Observation(
                objectStatus: objectStatus, transactionStatus: transactionStatus, committedStatus: committed,
                sameObject: lamps[observedLamp].map { $0.object != nil && $0.object === $0.created } ?? false, expectationsHeld: held,
                readsFrom: pool.clusters.names.count > 1 ? readFrom : nil, replayLagMilliseconds: replayLag,
                standbyBehind: behind, lamp: observedLamp.isEmpty ? nil : observedLamp,
                commitMilliseconds: pool.clusters.names.count > 1 ? appCommitMilliseconds : nil, fixture: fixture,
                workerReads: scenario.hasWorker ? workerReads : nil)
            observation.stickyWindowMilliseconds = test.stickyMilliseconds
            if expectations.isEmpty { observation.unasserted = true }
            (observation.transactionRowWriter, observation.objectRowWriter) = writers
            return CaseResult(
                scenario: scenario.name, flavor: flavor.driven(by: settings.driver), settings: settings,
                isolationInEffect: isolationInEffect,
                lampID: try lampID(observedLamp), observation: observation, expectations: expectations,
                appResponses: appResponses, events: events,
                sessionLabels: scenario.sessions.map(\.name), observerLabel: observerLabel,
                workerLabels: scenario.hasWorker ? scenario.sessions.filter(\.isWorker).map(\.name) : nil, stoppedAtLine: stoppedAtLine)
        } catch let error as ScenarioRunError {
            throw error
        } catch {
            throw ScenarioRunError(caseName: caseName, step: "observe: \(phase)", underlying: error)
        }
    }

    /// At the observation, in the test's transaction (untraced): the writer of the row version it sees,
    /// and the writer of the version the object's status was loaded from, if the object still holds it.
    private func rowWriters(objectStatus: String?, on connection: Connection) throws -> (transaction: RowWriter?, object: RowWriter?) {
        let visible = try RowVersions.visibleVersion(key: try lampID(observedLamp), on: connection)
        let transaction = try visible.flatMap { try RowVersions.writer(of: $0, on: connection) }
        guard let object = lamps[observedLamp]?.object, let loaded = rowVersions.loadedVersion(of: object),
              loaded.status == objectStatus else { return (transaction, nil) }
        return (transaction, try RowVersions.writer(of: loaded, on: connection))
    }

    /// An ORM error in the observation's own reads (the attribute's load, the autoflush before the
    /// plain SQL read) is the case's outcome, as one in a step is (with no line); anything else
    /// ends the run.
    private mutating func observationFailed(_ error: any Error, phase: String) throws -> CaseResult {
        guard !lamps.isEmpty, let kind = CaseError.kind(of: error) else { throw error }
        record()
        return try observeAfterError(CaseError(kind: kind, line: nil, step: "observe: \(phase)", message: "\(error)"))
    }

    /// After an error that is the case's outcome: the test session's teardown (close), then the
    /// committed status; the object and S1's transaction are not observed.
    private mutating func observeAfterError(_ error: CaseError) throws -> CaseResult {
        var phase = "close"
        let readFrom = readCluster(scenario.testSession)
        do {
            try onStep("observe")
            let (other, joinedCommitted) = try observeOtherConnections()
            record(.observation(ObservationMarker(.close, session: scenario.testSession.name)))
            closeSessions()
            phase = "read the committed status"
            let committed = external == nil ? try observeCommitted() : joinedCommitted
            phase = "the fixture's teardown"
            let fixture = observesFixture ? try tearDownFixture(otherConnectionStatus: other, appChangeSurvives: nil, appChangeCommitted: nil) : nil
            try resumePausedReplay()
            record()
            let observation = Observation(
                objectStatus: nil, transactionStatus: nil, committedStatus: committed,
                sameObject: lamps[observedLamp].map { $0.object != nil && $0.object === $0.created } ?? false, expectationsHeld: false,
                readsFrom: pool.clusters.names.count > 1 ? readFrom : nil, lamp: observedLamp.isEmpty ? nil : observedLamp,
                commitMilliseconds: pool.clusters.names.count > 1 ? appCommitMilliseconds : nil, fixture: fixture,
                workerReads: scenario.hasWorker ? workerReads : nil)
            return CaseResult(
                scenario: scenario.name, flavor: flavor.driven(by: settings.driver), settings: settings,
                isolationInEffect: isolationInEffect,
                lampID: try lampID(observedLamp), observation: observation, expectations: expectations,
                appResponses: appResponses, events: events,
                sessionLabels: scenario.sessions.map(\.name), observerLabel: observerLabel,
                workerLabels: scenario.hasWorker ? scenario.sessions.filter(\.isWorker).map(\.name) : nil, error: error)
        } catch {
            throw ScenarioRunError(caseName: caseName, step: "observe: \(phase)", underlying: error)
        }
    }

    /// The committed status, on the observer's connection after the test session is closed.
    private mutating func observeCommitted() throws -> String? {
        record(.observation(ObservationMarker(.committedRead, session: observerLabel)))
        return try readCommitted()
    }

    /// Before the test session closes: what a brand-new connection sees (runs that show
    /// fixtures), and under the join recipes what the shared connection holds, the recipe's
    /// "committed" (nothing is ever committed there).
    private mutating func observeOtherConnections() throws -> (other: String?, joinedCommitted: String?) {
        var other: String?
        if observesFixture {
            record(.observation(ObservationMarker(.otherConnectionRead, session: observerLabel)))
            other = try readCommitted()
        }
        guard let external else { return (other, nil) }
        record(.observation(ObservationMarker(.committedRead, session: scenario.testSession.name)))
        let parameters: [String?] = [String(try lampID(observedLamp))]
        let result = try external.connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result),
                     session: scenario.testSession.name, on: external.connection)
        return (other, result.rows.first?.first ?? nil)
    }

    /// The recipe's teardown (the outer transaction's rollback, or TRUNCATE of the run's table),
    /// then what a brand-new connection sees.
    private mutating func tearDownFixture(otherConnectionStatus: String?, appChangeSurvives: Bool?,
                                          appChangeCommitted: Bool?) throws -> FixtureObservation {
        if let external {
            record(.observation(ObservationMarker(.teardown, session: scenario.testSession.name)))
            try external.tearDown(trace: trace, label: scenario.testSession.name)
        } else {
            record(.observation(ObservationMarker(.teardown, session: observerLabel)))
            let connection = try pool.connection(for: observerLabel)
            let result = try connection.execute(Self.truncateSQL)
            trace.record(TracedStatement(purpose: .plain, sql: Self.truncateSQL, parameters: [], result: result), session: observerLabel, on: connection)
        }
        record(.observation(ObservationMarker(.afterTeardownRead, session: observerLabel)))
        let after = try readCommitted()
        return FixtureObservation(otherConnectionStatus: otherConnectionStatus, afterTeardownStatus: after,
                                  appChangeSurvives: appChangeSurvives, appChangeCommitted: appChangeCommitted)
    }

    private static let truncateSQL = "TRUNCATE lamps"

    /// A worker's plain SQL read of the lamp's status on its own connection, outside any session.
    private func workerRead(as worker: SessionDeclaration, lamp: String) throws -> String? {
        let connection = try pool.connection(for: worker.name)
        let parameters: [String?] = [String(try lampID(lamp))]
        let result = try connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result),
                     session: worker.name)
        return result.rows.first?.first ?? nil
    }

    /// The committed status, read outside any session on the observer's own connection.
    private func readCommitted() throws -> String? {
        let connection = try pool.connection(for: observerLabel)
        let parameters: [String?] = [String(try lampID(observedLamp))]
        let result = try connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result),
                     session: observerLabel, on: connection)
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
