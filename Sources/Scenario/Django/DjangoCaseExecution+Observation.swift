import LampSession
import Postgres

/// What the observation asks of a Django case (see `ObservableCase`): the instance's attribute
/// (no SQL), a plain read on the test's connection (in its open transaction, if any), TestCase's
/// transaction as the wrapper's "committed", the test's own atomic blocks left by an exception,
/// and the wrapper's teardown (TestCase: its blocks rolled back; else the flush's TRUNCATE).
extension DjangoCaseExecution {
    var holdsCreatedObject: Bool { lamps[observedLamp].map { $0.instance != nil && $0.instance === $0.created } ?? false }
    var observedWorkerReads: [String?]? { scenario.hasWorker ? workerReads : nil }
    var wrapperCommits: Bool { !wrapper.wrapsTestInTransaction }

    mutating func beginObservation() throws {}

    /// `lamp.status`: an instance's attribute, no SQL.
    mutating func readObject(phase: String) throws -> String? { lamps[observedLamp]?.instance?.status }

    mutating func afterObjectRead() throws {}

    mutating func readTransaction(objectStatus: String?, phase: inout String) throws -> TransactionReading {
        let test = try testConnection()
        var reading = TransactionReading()
        do {
            reading.transactionStatus = try plainRead(on: test, lamp: observedLamp)
        } catch {
            guard let kind = DjangoError.kind(of: error) else { throw error }
            var caseError = CaseError(kind: kind, line: nil, step: "observe: \(phase)", message: "\(error)")
            caseError.observationRead = .transactionRead
            throw ObservedOutcome(error: caseError)
        }
        phase = "pg_xact_status of the row version in \(test.label)'s transaction"
        if test.inTransaction, let version = try RowVersions.visibleVersion(key: try lampID(observedLamp), on: test.connection) {
            reading.transactionRowWriter = try RowVersions.writer(of: version, on: test.connection)
        }
        return reading
    }

    /// Under TestCase: what its transaction holds (nothing the test does is ever committed).
    mutating func readWrapperCommitted() throws -> String? {
        journal.record(.observation(ObservationMarker(.committedRead, session: scenario.testSession.name)))
        return try plainRead(on: try testConnection(), lamp: observedLamp)
    }

    /// The test's own atomic blocks, left by an exception (innermost first); TestCase's stay.
    mutating func closeTest() throws {
        guard let test else { return }
        while test.depth > ownBlocksFloor { try test.exitAtomic(failed: true) }
    }

    mutating func tearDownWrapper() throws {
        if wrapper.wrapsTestInTransaction {
            journal.record(.observation(ObservationMarker(.teardown, session: scenario.testSession.name)))
            try test?.rollBackAllBlocks()
        } else {
            journal.record(.observation(ObservationMarker(.teardown, session: observerLabel)))
            let connection = try pool.connection(for: observerLabel)
            let result = try connection.execute(DjangoSQL.flush)
            journal.trace.record(TracedStatement(purpose: .plain, sql: DjangoSQL.flush, parameters: [], result: result),
                                 session: observerLabel, on: connection)
        }
    }

    /// Django's name for the object layer: the QuerySet's cache when the variable came from it.
    mutating func finish(_ observation: inout Observation, error: CaseError?, phase: inout String) throws {
        observation.objectLayer = lamps[observedLamp]?.boundFromCache == true ? .querysetCache : .instanceCopy
    }

    func result(_ observation: Observation, error: CaseError?) throws -> CaseResult {
        var result = CaseResult(
            scenario: scenario.name, flavor: .sqlalchemy, settings: settings, isolationInEffect: isolationInEffect,
            lampID: try lampID(observedLamp), observation: observation, expectations: expectations, appResponses: [],
            events: journal.events, sessionLabels: scenario.sessions.map(\.name), observerLabel: observerLabel,
            workerLabels: scenario.hasWorker ? scenario.sessions.filter(\.isWorker).map(\.name) : nil,
            error: error, stoppedAtLine: error == nil ? stoppedAtLine : nil)
        result.orm = .django
        return result
    }
}
