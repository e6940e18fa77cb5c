public import LampApp
public import LampSession

/// The dimensions one case of a run fixes: isolation level, expire_on_commit, application mode.
public struct CaseSettings: Sendable, Hashable, Codable {
    public var isolation: IsolationLevel
    public var expireOnCommit: Bool
    public var app: AppMode

    public init(isolation: IsolationLevel = .serverDefault, expireOnCommit: Bool = false, app: AppMode = .commit) {
        self.isolation = isolation
        self.expireOnCommit = expireOnCommit
        self.app = app
    }

    /// `repeatable read, expire_on_commit=false, app=commit` (the parts joined by `separator`):
    /// the one way cases name their settings, in messages, trace headers, diagrams and explanations.
    public func label(isolation: String, separator: String = ", ") -> String {
        [isolation, "expire_on_commit=\(expireOnCommit)", "app=\(app.rawValue)"].joined(separator: separator)
    }
}

/// One case to run: a scenario under settings.
public struct ScenarioCase: Sendable, Equatable {
    public var scenario: ScenarioDefinition
    public var settings: CaseSettings

    public init(scenario: ScenarioDefinition, settings: CaseSettings) {
        self.scenario = scenario
        self.settings = settings
    }

    /// e.g. `refresh, repeatable read, expire_on_commit=false, app=commit`.
    public var name: String { name(serverIsolation: nil) }

    /// The name with the server's default isolation level spelled out when the case uses it,
    /// e.g. `none, read committed (server default), ...`.
    public func name(serverIsolation: String?) -> String {
        var isolation = settings.isolation.rawValue
        if settings.isolation == .serverDefault, let serverIsolation { isolation = "\(serverIsolation) (server default)" }
        return "\(scenario.name), " + settings.label(isolation: isolation)
    }
}

/// The values a run varies over; a scenario that fixes a dimension itself runs once for it.
public struct Dimensions: Sendable, Equatable {
    public var isolations: [IsolationLevel]
    public var expireOnCommit: [Bool]
    public var apps: [AppMode]

    public init(isolations: [IsolationLevel] = [.serverDefault], expireOnCommit: [Bool] = [false], apps: [AppMode] = [.commit]) {
        self.isolations = isolations
        self.expireOnCommit = expireOnCommit
        self.apps = apps
    }

    /// Every case: scenario-major, then isolation, expire_on_commit, app.
    public func cases(for scenarios: [ScenarioDefinition]) -> [ScenarioCase] {
        scenarios.flatMap { scenario in
            let isolations = scenario.isolationIsOpen ? self.isolations : [scenario.testSession.isolation ?? .serverDefault]
            let expiries = scenario.expireOnCommitIsOpen ? expireOnCommit : [scenario.testSession.expireOnCommit ?? false]
            let apps = scenario.appModeIsOpen ? self.apps : [scenario.fixedAppMode ?? self.apps.first ?? .commit]
            return isolations.flatMap { isolation in
                expiries.flatMap { expiry in
                    apps.map { app in
                        ScenarioCase(scenario: scenario, settings: CaseSettings(isolation: isolation, expireOnCommit: expiry, app: app))
                    }
                }
            }
        }
    }
}
