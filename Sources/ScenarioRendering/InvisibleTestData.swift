import ScenarioModel

/// Django's `TestCase` data behind a live server: the view, on a request connection of its own,
/// cannot see the rows the test made inside TestCase's transaction, and raises `DoesNotExist`.
/// That error is the case's outcome; the summary and the explanation say why, so it does not
/// read as a bug in the view.
extension CaseResult {
    /// True when an application step raised `Lamp.DoesNotExist` for a lamp the test's
    /// (uncommitted) transaction holds, under a wrapper that keeps the test's rows uncommitted.
    var viewCouldNotSeeTestData: Bool {
        guard let error, error.kind == "Lamp.DoesNotExist", settings.fixture.wrapsTestInTransaction,
              !settings.fixture.runsViewOnTestConnection, observation.committedStatus != nil,
              let session = error.session else { return false }
        return session != sessionLabels.first
    }

    /// The sentence for such a case.
    static let invisibleTestDataSentence = "The view could not see the test's data: TestCase keeps the test's rows in a transaction it "
        + "rolls back, and a live server's request runs on a connection of its own, so Lamp.objects.get raised DoesNotExist. "
        + "That is the test setup, not a bug in the view: use TransactionTestCase (or pytest-django's transactional_db) with a live server."
}
