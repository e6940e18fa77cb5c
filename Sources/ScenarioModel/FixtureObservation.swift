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
    /// Whether the committed state at the end of the test (the `committed` read: a new connection
    /// to the primary, or the join recipes' outer transaction) still holds the application's write.
    /// `false` means a fix destroyed it; `appChangeSurvives == false` with this `true` means only
    /// the test's connection does not see it (its snapshot, or a standby behind). Not in the JSON:
    /// it follows from `committed_status` and the application's steps.
    public var appChangeCommitted: Bool?

    public init(otherConnectionStatus: String?, afterTeardownStatus: String?, appChangeSurvives: Bool?,
                appChangeCommitted: Bool? = nil) {
        self.otherConnectionStatus = otherConnectionStatus
        self.afterTeardownStatus = afterTeardownStatus
        self.appChangeSurvives = appChangeSurvives
        self.appChangeCommitted = appChangeCommitted
    }

    /// The application's change is gone from the committed state, not merely unseen by the test.
    public var appChangeLost: Bool { appChangeSurvives == false && appChangeCommitted != true }
    /// The application's change is committed, but the test's connection does not see it at the end.
    public var appChangeUnseen: Bool { appChangeSurvives == false && appChangeCommitted == true }
}
