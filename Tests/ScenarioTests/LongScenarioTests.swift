import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// A scenario thousands of steps long renders (the explanation was cubic: 800 steps took 260 s,
/// so 2,000 steps would outlast the test's time limit by far; make bench times 200, 800 and
/// 5,000 steps), and a run that renders each case as it comes keeps no event log per case.
@Suite("Long scenarios", .bounded)
struct LongScenarioTests {
    /// A scenario of `steps` steps: the application switches the lamp on every eighth step.
    static func long(_ steps: Int) throws -> ScenarioDefinition {
        let body = ["S1 refresh", "S2 switch-on", "S1 select", "S1 sql-read", "S1 commit", "S1 expire", "S1 select", "S1 rollback"]
        var lines = ["scenario long", "session S1 test", "session S2 app", "S1 create"]
        for index in 0..<(steps - 3) { lines.append(body[index % body.count]) }
        lines += ["S1 select", "S1 expect on"]
        return try ScenarioParser(file: "long.scenario").parse(lines.joined(separator: "\n") + "\n")
    }

    @Test("2,000 steps: explain, trace, both diagrams and the table render within the test's time limit")
    func rendersInLinearTime() throws {
        let result = try #require(try ScenarioCases.run([try Self.long(2000)]).first)
        #expect(result.error == nil)
        let renderers: [(String, () -> String)] = [
            ("explain", { ExplainRenderer.explain(result) }),
            ("trace", { TraceRenderer.render(result) }),
            ("text diagram", { DiagramRenderer.text(result) }),
            ("mermaid diagram", { DiagramRenderer.mermaid(result) }),
            ("table", { TableRenderer.render([result], colored: false) }),
        ]
        for (name, render) in renderers {
            #expect(!render().isEmpty, "\(name)")
        }
    }

    @Test("with keepsEvents false, each result is seen whole as it comes, and the run keeps none of their event logs")
    func resultsKeepNoEventLogs() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        runner.keepsEvents = false
        var seen: [Int] = []
        let cases = Dimensions(expireOnCommit: [false, true], apps: [.commit, .flush]).cases(for: [try Self.long(40)])
        let run = try runner.run(cases) { seen.append($0.events.count) }
        #expect(seen.count == 4 && seen.allSatisfy { $0 > 40 })
        #expect(run.cases.count == 4)
        #expect(run.cases.allSatisfy { $0.events.isEmpty })
        #expect(run.cases.map(\.outcomeText).sorted() == ["true failure", "true failure", "true pass", "true pass"])
    }
}
