import LampSession
import Postgres

/// What the observation asks of a SQLAlchemy case (see `ObservableCase`): the object's attribute
/// through the session, a plain SQL read in the session's transaction (autoflush first; on a
/// standby, what it had replayed), the row writers, the join recipes' outer transaction, and the
/// replica's facts at the end.
extension SQLAlchemyCaseExecution {
    var holdsCreatedObject: Bool { lamps[observedLamp].map { $0.object != nil && $0.object === $0.created } ?? false }
    var observedWorkerReads: [String?]? { scenario.hasWorker ? workerReads : nil }
    var wrapperCommits: Bool { external == nil }

    mutating func beginObservation() throws {
        let test = scenario.testSession
        if let session = testSessions[test.name] { try noteStandbySnapshot(test, connection: session.connection) }
    }

    mutating func readObject(phase: String) throws -> String? {
        do {
            return try object(observedLamp, attribute: "status").status()
        } catch {
            throw try outcome(of: error, phase: phase, read: .assertion)
        }
    }

    mutating func afterObjectRead() throws { try noteLoadedRows() }

    mutating func readTransaction(objectStatus: String?, phase: inout String) throws -> TransactionReading {
        let test = scenario.testSession
        let session = try testSession(test)
        let readFrom = readCluster(test)
        var reading = TransactionReading()
        if readFrom == ClusterSet.standby {
            // The read below takes its snapshot now, unless a repeatable-read or serializable
            // transaction already took one at its first statement.
            let status = session.connection.transactionStatus
            if try !status.isInTransaction || status == .inTransaction
                && session.connection.execute(Self.isolationSQL).rows.first?.first == IsolationLevel.readCommitted.rawValue {
                standbySnapshot = try StandbySnapshot.note(appRequestLSN: appRequestLSN, on: session.connection)
            }
            reading.standbyBehind = standbySnapshot?.standbyBehind(lastRequestLSN: appRequestLSN) ?? false
        }
        do {
            // The session's execute autoflushes first: a pending change to a deleted row fails here.
            reading.transactionStatus = try readStatus(in: session, lamp: observedLamp)
        } catch {
            throw try outcome(of: error, phase: phase, read: .transactionRead)
        }
        phase = "pg_xact_status of the row versions in \(test.name)'s transaction"
        if readFrom == ClusterSet.primary {
            (reading.transactionRowWriter, reading.objectRowWriter) = try rowWriters(objectStatus: objectStatus, on: session.connection)
        }
        return reading
    }

    /// Under the join recipes: what the shared connection holds, the recipe's "committed"
    /// (nothing is ever committed there).
    mutating func readWrapperCommitted() throws -> String? {
        guard let external else { return nil }
        record(.observation(ObservationMarker(.committedRead, session: scenario.testSession.name)))
        let parameters: [String?] = [String(try lampID(observedLamp))]
        let result = try external.connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result),
                     session: scenario.testSession.name, on: external.connection)
        return result.rows.first?.first ?? nil
    }

    /// Notes where the test session read (before closing it: a sticky session's routing ends with it), then closes.
    mutating func closeTest() throws {
        observedCluster = readCluster(scenario.testSession)
        closeSessions()
    }

    /// The recipe's teardown: the outer transaction's rollback, or TRUNCATE of the run's table.
    mutating func tearDownWrapper() throws {
        if let external {
            record(.observation(ObservationMarker(.teardown, session: scenario.testSession.name)))
            try external.tearDown(trace: trace, label: scenario.testSession.name)
        } else {
            record(.observation(ObservationMarker(.teardown, session: observerLabel)))
            let connection = try pool.connection(for: observerLabel)
            let result = try connection.execute(Self.truncateSQL)
            trace.record(TracedStatement(purpose: .plain, sql: Self.truncateSQL, parameters: [], result: result), session: observerLabel, on: connection)
        }
    }

    static let truncateSQL = "TRUNCATE lamps"

    /// Replay resumed where the case paused it; with a standby, where the test read, the replay
    /// lag measured after it and the application's commit time.
    mutating func finish(_ observation: inout Observation, error: CaseError?, phase: inout String) throws {
        let test = scenario.testSession
        let readFrom = observedCluster ?? test.cluster
        try resumePausedReplay()
        if error == nil, readFrom == ClusterSet.standby {
            // How long the standby still needed to replay what the primary had committed.
            phase = "wait for the standby's replay"
            let lsn = try ReplayWait.currentLSN(on: try pool.connection(for: observerLabel))
            observation.replayLagMilliseconds = try ReplayWait.until(lsn, on: try pool.connection(for: test.name, cluster: test.cluster))
        }
        let replicated = pool.clusters.hasStandby
        observation.readsFrom = replicated ? readFrom : nil
        observation.commitMilliseconds = replicated ? appCommitMilliseconds : nil
        if error == nil { observation.stickyWindowMilliseconds = test.stickyMilliseconds }
    }

    func result(_ observation: Observation, error: CaseError?) throws -> CaseResult {
        CaseResult(
            scenario: scenario.name, flavor: flavor.driven(by: settings.driver), settings: settings,
            isolationInEffect: isolationInEffect,
            lampID: try lampID(observedLamp), observation: observation, expectations: expectations,
            appResponses: appResponses, events: journal.events,
            sessionLabels: scenario.sessions.map(\.name), observerLabel: observerLabel,
            workerLabels: scenario.hasWorker ? scenario.sessions.filter(\.isWorker).map(\.name) : nil,
            error: error, stoppedAtLine: error == nil ? stoppedAtLine : nil)
    }

    /// An ORM error in the observation's own reads (the attribute's load, the autoflush before the
    /// plain SQL read) as the case's outcome, as one in a step is (with no line); anything else
    /// ends the run.
    private func outcome(of error: any Error, phase: String, read: CaseError.ObservationRead) throws -> ObservedOutcome {
        guard !lamps.isEmpty, let kind = CaseError.kind(of: error) else { throw error }
        var caseError = CaseError(kind: kind, line: nil, step: "observe: \(phase)", message: "\(error)")
        caseError.observationRead = read
        return ObservedOutcome(error: caseError)
    }

    /// At the observation, in the test's transaction (untraced): the writer of the row version it sees,
    /// and the writer of the version the object's status was loaded from, if the object still holds it.
    func rowWriters(objectStatus: String?, on connection: Connection) throws -> (transaction: RowWriter?, object: RowWriter?) {
        let visible = try RowVersions.visibleVersion(key: try lampID(observedLamp), on: connection)
        let transaction = try visible.flatMap { try RowVersions.writer(of: $0, on: connection) }
        guard let object = lamps[observedLamp]?.object, let loaded = rowVersions.loadedVersion(of: object),
              loaded.status == objectStatus else { return (transaction, nil) }
        return (transaction, try RowVersions.writer(of: loaded, on: connection))
    }

    /// A worker's plain SQL read of the lamp's status on its own connection, outside any session.
    func workerRead(as worker: SessionDeclaration, lamp: String) throws -> String? {
        let connection = try pool.connection(for: worker.name)
        let parameters: [String?] = [String(try lampID(lamp))]
        let result = try connection.execute(Self.statusByKeySQL, parameters)
        trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result),
                     session: worker.name)
        return result.rows.first?.first ?? nil
    }
}
