public import LampApp
public import LampSession

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
    public var drivers: [SessionDriver]
    public var fixtures: [FixtureRecipe]

    public init(isolations: [IsolationLevel] = [.serverDefault], expireOnCommit: [Bool] = [false], apps: [AppMode] = [.commit],
                drivers: [SessionDriver] = [.sync], fixtures: [FixtureRecipe] = [.independent]) {
        self.isolations = isolations
        self.expireOnCommit = expireOnCommit
        self.apps = apps
        self.drivers = drivers
        self.fixtures = fixtures
    }

    /// Every case: scenario-major, then fixture, isolation, expire_on_commit, app, driver.
    public func cases(for scenarios: [ScenarioDefinition]) -> [ScenarioCase] {
        scenarios.flatMap { scenario in
            let isolations = scenario.isolationIsOpen ? self.isolations : [scenario.testSession.isolation ?? .serverDefault]
            if scenario.orm != .sqlalchemy {
                // expire_on_commit, the app's commit/flush and the driver are SQLAlchemy's dimensions.
                // The views share the test's database settings: only the test's level opens the dimension.
                let isolations = scenario.testSession.isolation.map { [$0] } ?? self.isolations
                let own = self.fixtures.filter { $0.orm == scenario.orm }
                let fixtures = scenario.testSession.fixture.map { [$0] } ?? (own.isEmpty ? [scenario.orm.defaultFixture] : own)
                return fixtures.flatMap { fixture in isolations.map { isolation in
                    ScenarioCase(scenario: scenario, settings: CaseSettings(isolation: isolation, fixture: fixture))
                } }
            }
            let expiries = scenario.expireOnCommitIsOpen ? expireOnCommit : [scenario.testSession.expireOnCommit ?? false]
            let apps = scenario.appModeIsOpen ? self.apps : [scenario.fixedAppMode ?? self.apps.first ?? .commit]
            let drivers = scenario.driverIsOpen ? self.drivers : [scenario.testSession.driver ?? .sync]
            let own = self.fixtures.filter { $0.orm == .sqlalchemy }
            let fixtures = scenario.fixtureIsOpen ? (own.isEmpty ? [.independent] : own) : [scenario.testSession.fixture ?? .independent]
            return fixtures.flatMap { fixture in isolations.flatMap { isolation in
                expiries.flatMap { expiry in
                    apps.flatMap { app in
                        drivers.map { driver in
                            ScenarioCase(scenario: scenario, settings: CaseSettings(isolation: isolation, expireOnCommit: expiry, app: app,
                                                                                    driver: driver, fixture: fixture))
                        }
                    }
                }
            } }
        }
    }
}
