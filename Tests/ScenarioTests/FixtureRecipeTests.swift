import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// The fixture recipes on the reference flow, against the cells measured with real SQLAlchemy
/// 2.1.9 (docs/measurements/sqlalchemy-test-suites.md, section 3; tools/measure/fixtures.py).
@Suite("Fixture recipes", .bounded)
struct FixtureRecipeTests {
    /// One case, in a run that shows the fixture dimension (as `--fixture` does).
    static func run(_ strategy: String, _ fixture: FixtureRecipe, app: AppMode = .commit,
                    isolation: IsolationLevel = .serverDefault) throws -> CaseResult {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        runner.showsFixture = true
        let cases = Dimensions(isolations: [isolation], apps: [app], fixtures: [fixture]).cases(for: [try ScenarioCases.builtIn(strategy)])
        return try #require(try runner.run(cases).cases.first)
    }

    @Test("savepoint-join: close and rollback roll back to S1's savepoint, the app's released change with it (measured: off · off)",
          arguments: ["close", "rollback"])
    func savepointJoinDestroysTheAppsChange(_ strategy: String) throws {
        let result = try Self.run(strategy, .savepointJoin)
        #expect(result.observation.objectStatus == "off")
        #expect(result.observation.transactionStatus == "off")
        #expect(result.observation.fixture?.appChangeSurvives == false)
        #expect(result.observation.fixture?.appChangeLost == true, "gone from the outer transaction too")
        #expect(result.observation.fixture?.otherConnectionStatus == nil, "a brand-new connection never sees the row")
        #expect(result.observation.fixture?.afterTeardownStatus == nil)
        #expect(result.observation.outcome == .trueFailure, "looks like a true failure: the app's change is gone")
        let sql = result.statements.map(\.sql)
        #expect(sql.contains("ROLLBACK TO SAVEPOINT sa_savepoint_2"), "S1's savepoint from the refresh: \(sql)")
        #expect(!sql.contains("COMMIT"), "nothing is ever committed")
    }

    @Test("savepoint-join, none: stale in the identity map, the app's change survives in the outer transaction (measured: off · on)")
    func savepointJoinNone() throws {
        let result = try Self.run("none", .savepointJoin)
        #expect(result.observation.objectStatus == "off")
        #expect(result.observation.committedStatus == "on", "committed: what the outer transaction holds at the end")
        #expect(result.observation.layer == .identityMap)
        #expect(result.observation.fixture?.appChangeSurvives == true)
    }

    @Test("rollback-per-test: the test's rollback sends ROLLBACK of the whole outer transaction; the select finds no row")
    func rollbackPerTestRollback() throws {
        let result = try Self.run("rollback", .rollbackPerTest)
        #expect(result.error?.kind == "NoResultFound")
        #expect(result.observation.committedStatus == nil)
        let sql = result.statements.map(\.sql)
        #expect(!sql.contains { $0.hasPrefix("SAVEPOINT") || $0 == "COMMIT" }, "\(sql)")
    }

    @Test("rollback-per-test: an app that only flushes looks like one that commits (measured: refresh on · on)")
    func rollbackPerTestFlushPasses() throws {
        let result = try Self.run("refresh", .rollbackPerTest, app: .flush)
        #expect(result.observation.objectStatus == "on")
        #expect(result.observation.fixture?.appChangeSurvives == true)
        #expect(result.observation.fixture?.otherConnectionStatus == nil)
    }

    @Test("override-get-db: the app's forgotten commit is a false pass; another connection sees off; TRUNCATE leaves no row")
    func overrideGetDBFalsePass() throws {
        let result = try Self.run("none", .overrideGetDB, app: .flush)
        #expect(result.observation.objectStatus == "on")
        #expect(result.observation.committedStatus == "off")
        #expect(result.observation.outcome == .falsePass)
        #expect(result.observation.fixture?.otherConnectionStatus == "off")
        #expect(result.observation.fixture?.afterTeardownStatus == nil)
        #expect(result.statements.map(\.sql).contains("TRUNCATE lamps"))
    }

    @Test("override-get-db: the test's commit commits the app's forgotten change (measured: commit on · on · on)")
    func overrideGetDBCommit() throws {
        let result = try Self.run("commit", .overrideGetDB, app: .flush)
        #expect(result.observation.committedStatus == "on")
        #expect(result.observation.fixture?.otherConnectionStatus == "on")
    }

    @Test("independent: the seed's wiring; a brand-new connection sees the app's real commit until TRUNCATE")
    func independent() throws {
        let result = try Self.run("none", .independent)
        #expect(result.observation.objectStatus == "off")
        #expect(result.observation.fixture?.otherConnectionStatus == "on")
        #expect(result.observation.fixture?.afterTeardownStatus == nil)
        #expect(result.isolationInEffect.description == "read committed" || result.isolationInEffect.others.isEmpty)
    }

    @Test("independent, repeatable read: the test's snapshot misses the app's commit; the change is unseen, not lost")
    func snapshotLeavesTheChangeUnseen() throws {
        let result = try Self.run("none", .independent, isolation: .repeatableRead)
        #expect(result.observation.layer == .snapshot)
        #expect(result.observation.committedStatus == "on")
        #expect(result.observation.fixture?.appChangeSurvives == false, "the JSON's definition: the test's connection does not see it")
        #expect(result.observation.fixture?.appChangeUnseen == true)
        #expect(result.observation.fixture?.appChangeLost == false)
        let summary = SummaryRenderer.render([result])
        #expect(summary.contains("The application's change is committed but unseen by the test's connection at the end"), "\(summary)")
        #expect(!summary.contains("is lost"), "\(summary)")
        #expect(TableRenderer.render([result], colored: false).contains("unseen"))
    }

    @Test("the summary names a change a fix destroyed as lost")
    func summaryNamesTheLostChange() throws {
        let result = try Self.run("close", .savepointJoin)
        let summary = SummaryRenderer.render([result])
        #expect(summary.contains("The application's change is lost (gone from what is committed at the end of the test): close"), "\(summary)")
        #expect(!summary.contains("unseen"), "\(summary)")
    }

    @Test("the dimension is enumerated only where the file leaves it open; fixture= fixes it")
    func openDimension() throws {
        let open = try ScenarioCases.builtIn("none")
        let fixed = try ScenarioCases.builtIn("fixture-savepoint-join")
        let all = Dimensions(fixtures: FixtureRecipe.allCases)
        #expect(all.cases(for: [open]).map(\.settings.fixture) == ORM.sqlalchemy.fixtures)
        #expect(all.cases(for: [fixed]).map(\.settings.fixture) == [.savepointJoin])
        #expect(all.cases(for: [fixed]).first?.name.hasSuffix("fixture=savepoint-join") == true, "labelled with what ran")
    }

    @Test("fixture built-in over the whole matrix matches its expected output", arguments: BuiltInScenarios.fixtureNames)
    func builtIn(_ name: String) throws {
        let results = try ScenarioCases.run([try ScenarioCases.builtIn(name)], ScenarioFilesTests.everything)
        let actual = JSONLinesRenderer.render(results)
        let expected = try #require(try Fixtures.expected("expected/builtin/\(name).jsonl", actual: actual), "run make fixtures")
        #expect(actual == expected)
    }
}
