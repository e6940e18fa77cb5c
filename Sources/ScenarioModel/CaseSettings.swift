public import LampApp
public import LampSession

/// The dimensions one case of a run fixes: isolation level, expire_on_commit, application mode,
/// and the test session's driver.
public struct CaseSettings: Sendable, Hashable, Codable {
    public var isolation: IsolationLevel
    public var expireOnCommit: Bool
    public var app: AppMode
    /// The test session's driver (`sync` is recorded by leaving the key out, as before drivers existed).
    public var driver: SessionDriver
    /// How the sessions are wired (`independent` is recorded by leaving the key out).
    public var fixture: FixtureRecipe

    public init(isolation: IsolationLevel = .serverDefault, expireOnCommit: Bool = false, app: AppMode = .commit,
                driver: SessionDriver = .sync, fixture: FixtureRecipe = .independent) {
        self.isolation = isolation
        self.expireOnCommit = expireOnCommit
        self.app = app
        self.driver = driver
        self.fixture = fixture
    }

    /// `repeatable read, expire_on_commit=false, app=commit` (the parts joined by `separator`), plus
    /// `driver=async` for an async test session: the one way cases name their settings, in
    /// messages, trace headers, diagrams and explanations.
    public func label(isolation: String, separator: String = ", ") -> String {
        if fixture.orm == .django {
            return ([isolation] + (fixture != .djangoLiveServer ? ["fixture=\(fixture.rawValue)"] : [])).joined(separator: separator)
        }
        return ([isolation, "expire_on_commit=\(expireOnCommit)", "app=\(app.rawValue)"] + (driver == .async ? ["driver=async"] : [])
            + (fixture != .independent ? ["fixture=\(fixture.rawValue)"] : []))
            .joined(separator: separator)
    }

    private enum CodingKeys: String, CodingKey { case isolation, expireOnCommit, app, driver, fixture }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        isolation = try container.decode(IsolationLevel.self, forKey: .isolation)
        expireOnCommit = try container.decode(Bool.self, forKey: .expireOnCommit)
        app = try container.decode(AppMode.self, forKey: .app)
        driver = try container.decodeIfPresent(SessionDriver.self, forKey: .driver) ?? .sync
        fixture = try container.decodeIfPresent(FixtureRecipe.self, forKey: .fixture) ?? .independent
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isolation, forKey: .isolation)
        try container.encode(expireOnCommit, forKey: .expireOnCommit)
        try container.encode(app, forKey: .app)
        if driver != .sync { try container.encode(driver, forKey: .driver) }
        if fixture != .independent { try container.encode(fixture, forKey: .fixture) }
    }
}
