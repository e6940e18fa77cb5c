import LampSession
import Postgres

/// What the observation read in the test's transaction (after an error: nothing).
struct TransactionReading {
    var transactionStatus: String?
    /// The writers of the row version the transaction sees and of the one the object was loaded from.
    var transactionRowWriter: RowWriter?
    var objectRowWriter: RowWriter?
    /// A standby-reading test: whether the standby was behind the application's last request.
    var standbyBehind: Bool?
}

/// An ORM error raised by one of the observation's own reads: the case's outcome, as an error
/// in a step is (with no line).
struct ObservedOutcome: Error {
    var error: CaseError
}

/// The questions the observation asks a profile's case; `observe(after:)` (here) asks them in the
/// same order for every ORM: the object, the test's transaction, other connections, the test
/// closed, the committed status, the wrapper's teardown, then what the profile adds.
protocol ObservableCase: ProfileCase {
    var pool: ConnectionPool { get }
    /// The lamp the observation reads: the one the last `expect` named, else the unnamed lamp, else the first created.
    var observedLamp: String { get }
    func lampID(_ name: String?) throws -> Int64
    /// The application's last write to each lamp: `on`, or nil (no row) after a delete.
    var appWrites: [String: String?] { get }
    /// Whether the test's variable holds the object its `create` made.
    var holdsCreatedObject: Bool { get }
    /// What each worker `sql-read` returned, in step order (nil without a worker).
    var observedWorkerReads: [String?]? { get }

    /// Before the first marker (SQLAlchemy: what the standby had replayed when the test's transaction began).
    mutating func beginObservation() throws
    /// The object's status as the test's assertion reads it; an ORM error as `ObservedOutcome`.
    mutating func readObject(phase: String) throws -> String?
    /// After the object's read, before the transaction's (SQLAlchemy: the row versions it loaded).
    mutating func afterObjectRead() throws
    /// A plain SQL read in the test's transaction, and the row writers; an ORM error as `ObservedOutcome`.
    mutating func readTransaction(objectStatus: String?, phase: inout String) throws -> TransactionReading
    /// Whether what the test wrapper leaves in the database is committed (false under the wrappers
    /// that roll everything back: SQLAlchemy's join recipes, Django's TestCase).
    var wrapperCommits: Bool { get }
    /// Where nothing is committed: what the test's connection holds, the wrapper's "committed" (its marker included).
    mutating func readWrapperCommitted() throws -> String?
    /// Ends the test's sessions (SQLAlchemy: close; Django: leave the test's own atomic blocks).
    mutating func closeTest() throws
    /// The wrapper's teardown, with its marker (in runs that show the wrapper).
    mutating func tearDownWrapper() throws
    /// What the profile adds to the observation, after the teardown (SQLAlchemy: the replica's facts).
    mutating func finish(_ observation: inout Observation, error: CaseError?, phase: inout String) throws
    /// The case's result from its observation.
    func result(_ observation: Observation, error: CaseError?) throws -> CaseResult
}

extension ObservableCase {
    private static var statusByKeySQL: String { "SELECT status FROM lamps WHERE id = $1" }

    /// A read of the observed lamp's status on the observer's connection, outside any session.
    mutating func readOnObserver() throws -> String? {
        let connection = try pool.connection(for: observerLabel)
        let parameters: [String?] = [String(try lampID(observedLamp))]
        let result = try connection.execute(Self.statusByKeySQL, parameters)
        journal.trace.record(TracedStatement(purpose: .plain, sql: Self.statusByKeySQL, parameters: parameters, result: result),
                             session: observerLabel, on: connection)
        return result.rows.first?.first ?? nil
    }

    mutating func observe(after initialError: CaseError?) throws -> CaseResult {
        var error = initialError
        let test = scenario.testSession.name
        var phase = error == nil ? "read the object's status" : "close"
        do {
            try onStep("observe")
            var objectStatus: String?
            var reading = TransactionReading()
            if error == nil {
                do {
                    try beginObservation()
                    journal.record(.observation(ObservationMarker(.assertion, session: test)))
                    objectStatus = try readObject(phase: phase)
                    phase = "note the row version the object's status came from"
                    try afterObjectRead()
                    phase = "\(CaseError.transactionReadPhase) in \(test)'s transaction"
                    journal.record(.observation(ObservationMarker(.transactionRead, session: test)))
                    reading = try readTransaction(objectStatus: objectStatus, phase: &phase)
                    phase = "read on a brand-new connection"
                } catch let outcome as ObservedOutcome {
                    journal.record()
                    (error, objectStatus, reading, phase) = (outcome.error, nil, TransactionReading(), "close")
                }
            }
            var other: String?
            if observesFixture {
                journal.record(.observation(ObservationMarker(.otherConnectionRead, session: observerLabel)))
                other = try readOnObserver()
            }
            let joined = wrapperCommits ? nil : try readWrapperCommitted()
            if error == nil { phase = "close \(test)" }
            journal.record(.observation(ObservationMarker(.close, session: test)))
            try closeTest()
            phase = "read the committed status"
            var committed = joined
            if wrapperCommits {
                journal.record(.observation(ObservationMarker(.committedRead, session: observerLabel)))
                committed = try readOnObserver()
            }
            phase = "the fixture's teardown"
            var fixture: FixtureObservation?
            if observesFixture {
                let appWrite = error == nil ? appWrites[observedLamp] : nil
                try tearDownWrapper()
                journal.record(.observation(ObservationMarker(.afterTeardownRead, session: observerLabel)))
                fixture = FixtureObservation(otherConnectionStatus: other, afterTeardownStatus: try readOnObserver(),
                                             appChangeSurvives: appWrite.map { reading.transactionStatus == $0 },
                                             appChangeCommitted: appWrite.map { committed == $0 })
            }
            let held = error == nil && (expectations.isEmpty ? objectStatus == "on" : expectations.allSatisfy(\.held))
            var observation = Observation(
                objectStatus: objectStatus, transactionStatus: reading.transactionStatus, committedStatus: committed,
                sameObject: holdsCreatedObject, expectationsHeld: held, lamp: observedLamp.isEmpty ? nil : observedLamp,
                fixture: fixture, workerReads: observedWorkerReads)
            if expectations.isEmpty && error == nil { observation.unasserted = true }
            observation.transactionRowWriter = reading.transactionRowWriter
            observation.objectRowWriter = reading.objectRowWriter
            observation.standbyBehind = reading.standbyBehind
            try finish(&observation, error: error, phase: &phase)
            journal.record()
            return try result(observation, error: error)
        } catch let error as ScenarioRunError {
            throw error
        } catch {
            throw ScenarioRunError(caseName: caseName, step: "observe: \(phase)", underlying: error)
        }
    }
}
