/// What a case observed of its fixture recipe (only in runs that show the fixture dimension).
public struct FixtureObservation: Sendable, Equatable, Codable {
    /// What a brand-new connection (another process: a worker, a live server) read during the
    /// test, before teardown; nil when the row is invisible to it.
    public var otherConnectionStatus: String?
    /// What a brand-new connection read after the recipe's teardown (TRUNCATE, or the outer rollback).
    public var afterTeardownStatus: String?
    /// Whether the application's write (`on`) was still visible on the test's connection at the
    /// end of the test; nil when no application request ran, or after an error.
    public var appChangeSurvives: Bool?

    public init(otherConnectionStatus: String?, afterTeardownStatus: String?, appChangeSurvives: Bool?) {
        self.otherConnectionStatus = otherConnectionStatus
        self.afterTeardownStatus = afterTeardownStatus
        self.appChangeSurvives = appChangeSurvives
    }
}
