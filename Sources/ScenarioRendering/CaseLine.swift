public import ScenarioModel
import LampApp
import LampSession

/// One line of `lampctl scenario --json`: the public JSON Lines schema, as a type. Keys are
/// encoded in this order; a key marked "only ..." is left out where it does not apply.
/// `schema_version` (first on every line) changes when a key changes meaning or type.
public struct CaseLine: Encodable, Sendable, Equatable {
    /// The schema's version: 2 made `isolation` an object.
    public static let schemaVersion = 2

    public var strategy: String
    /// Only for an ORM other than SQLAlchemy: its name (`django`).
    public var orm: String?
    /// `{"requested": "server-default", "test": "read committed", "applications": {"S2": "read committed"}}`:
    /// the test's setting, its level as PostgreSQL spells it, each application connection's level.
    public var isolation: IsolationInEffect
    /// SQLAlchemy only: the test session's expire_on_commit and the application's mode.
    public var expireOnCommit: Bool?
    public var app: String?
    /// Only in runs with an async test session.
    public var driver: String?
    /// Only in runs that show the test wrapper (fixture recipe).
    public var fixture: String?
    /// Only for a case that observed a named lamp.
    public var lamp: String?
    public var objectStatus: String?
    public var transactionStatus: String?
    public var committedStatus: String?
    public var sameObject: Bool
    /// Null after an error.
    public var verdict: String?
    /// Null for a case with no `expect` (and no error).
    public var testPasses: Bool?
    public var outcome: String
    public var layer: String?
    /// Only with a worker session: what each of its reads returned.
    public var workerReads: [String?]?
    /// Only in runs that show the test wrapper.
    public var wrapper: WrapperFields?
    /// Only in runs with a standby.
    public var replica: ReplicaFields?
    /// Only for a case an error or a blocked step ended.
    public var error: ErrorField?
    /// Only with `--stop-at-failed-expect`, for a case that stopped.
    public var stopped: StoppedFields?

    public struct WrapperFields: Sendable, Equatable {
        public var otherConnectionStatus: String?
        public var afterTeardownStatus: String?
        public var appChangeSurvives: Bool?
    }

    public struct ReplicaFields: Sendable, Equatable {
        public var readsFrom: String
        public var replayLagMilliseconds: Int?
        public var commitMilliseconds: Int?
    }

    public struct ErrorField: Encodable, Sendable, Equatable {
        public var kind: String
        public var line: Int?
        /// Only for `blocked`: the session(s) holding the lock.
        public var holder: String?

        enum CodingKeys: String, CodingKey { case kind, line, holder }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(line, forKey: .line)
            try container.encodeIfPresent(holder, forKey: .holder)
        }
    }

    /// `isolation`'s object; `applications` keeps the sessions' declaration order.
    struct IsolationField: Encodable {
        let isolation: IsolationInEffect

        init(_ isolation: IsolationInEffect) { self.isolation = isolation }

        private struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(isolation.requested, forKey: Key(stringValue: "requested"))
            try container.encode(isolation.test, forKey: Key(stringValue: "test"))
            var applications = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "applications"))
            for application in isolation.applications {
                try applications.encode(application.level, forKey: Key(stringValue: application.session))
            }
        }
    }

    public struct StoppedFields: Sendable, Equatable {
        public var line: Int
        public var outcomeWithoutStopping: String?
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", strategy, orm, isolation, app, driver, fixture, lamp, verdict, outcome, layer, error
        case expireOnCommit = "expire_on_commit", objectStatus = "object_status", transactionStatus = "transaction_status"
        case committedStatus = "committed_status", sameObject = "same_object", testPasses = "test_passes"
        case workerReads = "worker_reads", otherConnectionStatus = "other_connection_status"
        case afterTeardownStatus = "after_teardown_status", appChangeSurvives = "app_change_survives"
        case readsFrom = "reads_from", replayLagMilliseconds = "replay_lag_ms", commitMilliseconds = "commit_ms"
        case stoppedAtLine = "stopped_at_line", outcomeWithoutStopping = "outcome_without_stopping"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.schemaVersion, forKey: .schemaVersion)
        try container.encode(strategy, forKey: .strategy)
        try container.encodeIfPresent(orm, forKey: .orm)
        try container.encode(IsolationField(isolation), forKey: .isolation)
        try container.encodeIfPresent(expireOnCommit, forKey: .expireOnCommit)
        try container.encodeIfPresent(app, forKey: .app)
        try container.encodeIfPresent(driver, forKey: .driver)
        try container.encodeIfPresent(fixture, forKey: .fixture)
        try container.encodeIfPresent(lamp, forKey: .lamp)
        try container.encode(objectStatus, forKey: .objectStatus)
        try container.encode(transactionStatus, forKey: .transactionStatus)
        try container.encode(committedStatus, forKey: .committedStatus)
        try container.encode(sameObject, forKey: .sameObject)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(testPasses, forKey: .testPasses)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(layer, forKey: .layer)
        try container.encodeIfPresent(workerReads, forKey: .workerReads)
        if let wrapper {
            try container.encode(wrapper.otherConnectionStatus, forKey: .otherConnectionStatus)
            try container.encode(wrapper.afterTeardownStatus, forKey: .afterTeardownStatus)
            try container.encode(wrapper.appChangeSurvives, forKey: .appChangeSurvives)
        }
        if let replica {
            try container.encode(replica.readsFrom, forKey: .readsFrom)
            try container.encode(replica.replayLagMilliseconds, forKey: .replayLagMilliseconds)
            try container.encode(replica.commitMilliseconds, forKey: .commitMilliseconds)
        }
        try container.encodeIfPresent(error, forKey: .error)
        if let stopped {
            try container.encode(stopped.line, forKey: .stoppedAtLine)
            try container.encode(stopped.outcomeWithoutStopping, forKey: .outcomeWithoutStopping)
        }
    }
}

extension CaseLine {
    /// The line of one case; `driver`: the run includes an async test session.
    public init(_ result: CaseResult, driver: Bool = false) {
        let observation = result.observation
        strategy = result.scenario
        orm = result.orm?.rawValue
        isolation = result.isolationInEffect
        if result.orm == nil {
            expireOnCommit = result.settings.expireOnCommit
            app = result.settings.app.rawValue
        }
        self.driver = driver ? result.settings.driver.rawValue : nil
        fixture = observation.fixture != nil ? result.settings.fixture.rawValue : nil
        lamp = observation.lamp
        objectStatus = observation.objectStatus
        transactionStatus = observation.transactionStatus
        committedStatus = observation.committedStatus
        sameObject = observation.sameObject
        verdict = result.verdict?.rawValue
        testPasses = observation.unasserted == true && result.error == nil ? nil : observation.testPasses
        outcome = result.outcomeText
        layer = result.error == nil ? observation.layer?.rawValue : nil
        workerReads = observation.workerReads
        wrapper = observation.fixture.map {
            WrapperFields(otherConnectionStatus: $0.otherConnectionStatus, afterTeardownStatus: $0.afterTeardownStatus,
                          appChangeSurvives: $0.appChangeSurvives)
        }
        replica = observation.readsFrom.map {
            ReplicaFields(readsFrom: $0, replayLagMilliseconds: observation.replayLagMilliseconds,
                          commitMilliseconds: observation.commitMilliseconds)
        }
        error = result.error.map { ErrorField(kind: $0.kind, line: $0.line, holder: $0.holder) }
        stopped = result.stoppedAtLine.map { StoppedFields(line: $0, outcomeWithoutStopping: result.outcomeWithoutStopping?.rawValue) }
    }
}
