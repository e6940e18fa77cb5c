import LampApp
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// A scenario with no `expect` has no test to pass or fail: its outcome is `no assertion` (it
/// was `true failure` whenever the object was not 'on'), beside its fresh or stale verdict.
@Suite("Scenarios without expect", .bounded)
struct NoAssertionTests {
    static let text = """
        scenario unasserted
        session S1 test
        session S2 app
        S1 create
        S1 refresh
        S2 switch-on

        """

    @Test("outcome 'no assertion' in the table, JSON (test_passes null), explanation and summary")
    func noAssertion() throws {
        let definition = try ScenarioParser(file: "t.scenario").parse(Self.text)
        let results = try ScenarioCases.run([definition], Dimensions(apps: [.commit, .flush]))
        #expect(results.map(\.outcomeText) == ["no assertion", "no assertion"])
        #expect(results.map(\.observation.verdict) == [.stale, .fresh])
        let json = JSONLinesRenderer.line(results[1], driver: false)
        #expect(json.contains("\"test_passes\": null"), "\(json)")
        #expect(json.contains("\"outcome\": \"no assertion\""))
        #expect(ExplainRenderer.explain(results[1]).contains("The scenario has no expect, so there is no test to pass or fail: the object matches what is committed."))
        #expect(!SummaryRenderer.render(results).contains("True failures"))
        #expect(TableRenderer.render(results, colored: false).contains("no assertion"))
    }

    @Test("with an expect, the outcome is the test's as before")
    func asserted() throws {
        let definition = try ScenarioParser(file: "t.scenario").parse(Self.text + "S1 expect on\n")
        let results = try ScenarioCases.run([definition], Dimensions(apps: [.commit, .flush]))
        #expect(results.map(\.outcomeText) == ["false failure", "true failure"])
    }
}
