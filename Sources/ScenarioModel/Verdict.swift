/// Whether the test's object shows what is committed.
public enum Verdict: String, Sendable, Codable {
    case fresh, stale
}

/// The test's result against the truth (see the brief: true/false pass/failure).
public enum Outcome: String, Sendable, Codable {
    case truePass = "true pass"
    case trueFailure = "true failure"
    case falsePass = "false pass"
    case falseFailure = "false failure"
    /// The case ran no `expect`: there is no test to pass or fail, only the fresh or stale verdict.
    case noAssertion = "no assertion"
}

/// What a case came to: its test against the truth, or what ended it early.
public enum CaseOutcome: String, Sendable, Codable, CaseIterable {
    case truePass = "true pass"
    case trueFailure = "true failure"
    case falsePass = "false pass"
    case falseFailure = "false failure"
    case noAssertion = "no assertion"
    /// An error that was the case's outcome (an ORM error, a transaction the server rolled back).
    case error
    /// A step waited on a lock another session of the scenario held.
    case blocked
    /// The server's configuration lacks what a step needs.
    case notApplicable = "not applicable"

    public init(_ outcome: Outcome) {
        switch outcome {
        case .truePass: self = .truePass
        case .trueFailure: self = .trueFailure
        case .falsePass: self = .falsePass
        case .falseFailure: self = .falseFailure
        case .noAssertion: self = .noAssertion
        }
    }
}

/// Which layer made the object stale.
public enum StaleLayer: String, Sendable, Codable {
    /// S1's transaction already sees the committed value; the object kept an old one.
    case identityMap = "identity map"
    /// S1's transaction already sees the committed value; the object holds a value loaded from a row
    /// version a rolled-back savepoint wrote (ROLLBACK TO SAVEPOINT does not expire an object the
    /// session did not change inside it).
    case rolledBackSavepoint = "rolled-back savepoint"
    /// S1's transaction itself does not see the committed value: its snapshot is older.
    case snapshot
    /// S1's transaction itself does not see the committed value: it sees its own uncommitted write
    /// (a flush in the same transaction, the test's or the application's through the shared session).
    case uncommittedWrite = "uncommitted write"
    /// S1 read a hot standby that had not replayed the application's commit yet.
    case replica
    /// Django: S1's transaction sees the committed value; the test's model instance is a copy of
    /// the row made before the commit.
    case instanceCopy = "instance copy"
    /// Django: S1's transaction sees the committed value; the test's instance came from an
    /// evaluated QuerySet's cache, filled before the commit.
    case querysetCache = "queryset cache"
}

/// What a case observed after its last step, measured on the database.
public struct Observation: Sendable, Equatable, Codable {
    /// The test object's status, as the test's assertion reads it.
    public var objectStatus: String?
    /// The status a plain SQL select sees in S1's current transaction.
    public var transactionStatus: String?
    /// The committed status, read on a fresh connection after S1 is closed.
    public var committedStatus: String?
    /// Whether the test's object is the one created at the start.
    public var sameObject: Bool
    /// Whether every `expect` step held (or, with none, whether the object is `on`).
    public var expectationsHeld: Bool
    /// Where the test session read: `standby` or `primary`; nil for a case with no standby
    /// (whose JSON and recordings then stay as they were).
    public var readsFrom: String?
    /// For a case that read a standby: how long after the test's read the standby took to
    /// replay everything the primary had committed by then, in milliseconds (measured).
    public var replayLagMilliseconds: Int?
    /// For a case that read a standby: whether the application's last request was committed before
    /// the snapshot of the observation's read in the test's transaction was taken (its own under read
    /// committed, the transaction's under repeatable read and serializable) and the standby had not
    /// replayed it then.
    public var standbyBehind: Bool?
    /// The name of the lamp observed (the one the last `expect` named, else the unnamed lamp, else
    /// the first created), when that lamp has a name; nil for the unnamed lamp (so files without
    /// named lamps keep their JSON and recordings).
    public var lamp: String?
    /// For a case run with a standby: how long the application's last COMMIT took, in
    /// milliseconds (measured; with synchronous_commit=remote_apply about the replay delay).
    public var commitMilliseconds: Int?
    /// For a case whose test session has `sticky=`: its window, in milliseconds.
    public var stickyWindowMilliseconds: Int?
    /// In runs that show the fixture dimension: what other connections saw, and whether the
    /// application's change survived (nil otherwise, so other recordings and JSON stay as they were).
    public var fixture: FixtureObservation?
    /// In a scenario with a worker session: what each worker `sql-read` returned, in step order
    /// (nil: the row was invisible); nil without a worker, so other JSON stays as it was.
    public var workerReads: [String?]?
    /// pg_xact_status of the writer of the row version S1's transaction sees at the observation
    /// (measured on the primary; nil when it committed, so other recordings stay as they were).
    public var transactionRowWriter: RowWriter?
    /// pg_xact_status, at the observation, of the writer of the row version the object's status was
    /// last loaded from, when the object still holds that version's status (nil: committed, or unknown).
    public var objectRowWriter: RowWriter?
    /// True when the case ran no `expect` (nil otherwise, so other recordings and JSON stay as they were).
    public var unasserted: Bool?
    /// The ORM's name for the object layer, when it is not SQLAlchemy's identity map (Django:
    /// `instance copy`, `queryset cache`); nil for SQLAlchemy.
    public var objectLayer: StaleLayer?

    public init(objectStatus: String?, transactionStatus: String?, committedStatus: String?, sameObject: Bool, expectationsHeld: Bool,
                readsFrom: String? = nil, replayLagMilliseconds: Int? = nil, standbyBehind: Bool? = nil, lamp: String? = nil,
                commitMilliseconds: Int? = nil, fixture: FixtureObservation? = nil, workerReads: [String?]? = nil) {
        self.objectStatus = objectStatus
        self.transactionStatus = transactionStatus
        self.committedStatus = committedStatus
        self.sameObject = sameObject
        self.expectationsHeld = expectationsHeld
        self.readsFrom = readsFrom
        self.replayLagMilliseconds = replayLagMilliseconds
        self.standbyBehind = standbyBehind
        self.lamp = lamp
        self.commitMilliseconds = commitMilliseconds
        self.fixture = fixture
        self.workerReads = workerReads
    }

    /// `fresh` when the object's status equals the committed status.
    public var verdict: Verdict { objectStatus == committedStatus ? .fresh : .stale }

    public var testPasses: Bool { expectationsHeld }

    public var outcome: Outcome {
        if unasserted == true { return .noAssertion }
        switch (testPasses, verdict) {
        case (true, .fresh): return .truePass
        case (false, .fresh): return .trueFailure
        case (true, .stale): return .falsePass
        case (false, .stale): return .falseFailure
        }
    }

    /// For a stale result, decided by what the database said: when the transaction sees the committed
    /// value, `rolled-back savepoint` if the object's value came from a row version whose writer was
    /// rolled back, else `identity map`; otherwise `replica` when it read a standby that had not
    /// replayed the commit when the read's snapshot was taken, `uncommitted write` when the version the transaction sees is its own
    /// (its writer is in progress), else `snapshot` (a snapshot older than the commit).
    public var layer: StaleLayer? {
        guard verdict == .stale else { return nil }
        if transactionStatus == committedStatus {
            if let objectLayer { return objectLayer }
            return objectRowWriter == .aborted ? .rolledBackSavepoint : .identityMap
        }
        if readsFrom == ClusterSet.standby && standbyBehind == true { return .replica }
        return transactionRowWriter == .inProgress ? .uncommittedWrite : .snapshot
    }
}
