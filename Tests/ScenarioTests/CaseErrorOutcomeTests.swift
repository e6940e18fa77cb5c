import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// An error in one case is that case's outcome (kind and line); the remaining cases run.
@Suite("Errors are outcomes", .bounded)
struct CaseErrorOutcomeTests {
    static func user(_ name: String) throws -> ScenarioDefinition {
        let bytes = try Data(contentsOf: Fixtures.url("user-scenarios/\(name).scenario"))
        return try ScenarioParser(file: "\(name).scenario").parse(bytes: Array(bytes))
    }

    @Test("an ORM error ends its case with kind and line, and the next scenario's cases still run",
          arguments: [("error-refresh-detached", "InvalidRequestError", 8), ("error-detached-expired", "DetachedInstanceError", 9)])
    func ormError(_ name: String, _ kind: String, _ line: Int) throws {
        let results = try ScenarioCases.run([try Self.user(name), try ScenarioCases.builtIn("none")],
                                            Dimensions(expireOnCommit: [false, true]))
        #expect(results.count == 4, "every case ran")
        for result in results.prefix(2) {
            let error = try #require(result.error)
            #expect(error.kind == kind)
            #expect(error.line == line)
            #expect(result.outcomeText == "error")
            #expect(result.verdict == nil)
            #expect(result.observation.committedStatus == "on", "the app committed before the error; the committed read still ran")
        }
        #expect(results.suffix(2).allSatisfy { $0.error == nil && $0.verdict == .stale })
        let json = JSONLinesRenderer.line(results[0])
        #expect(json.hasSuffix("\"outcome\": \"error\", \"layer\": null, \"error\": {\"kind\": \"\(kind)\", \"line\": \(line)}}"), "\(json)")
        #expect(!JSONLinesRenderer.line(results[2]).contains("\"error\""), "no error key where none applies")
        let summary = SummaryRenderer.render(results)
        #expect(summary.contains("4 cases: 0 fresh, 2 stale, 2 ended by an error or a blocked step."), "\(summary)")
        #expect(summary.contains("Ended by an error (that is the case's outcome; the remaining cases ran): \(name) (error at line \(line): \(kind))."), "\(summary)")
    }

    @Test("an ORM error in the observation's own autoflush is the case's outcome, with no line; the next cases run (it ended the run with exit 70)")
    func observationAutoflush() throws {
        let results = try ScenarioCases.run([try Self.user("error-observation-autoflush"), try ScenarioCases.builtIn("none")],
                                            Dimensions(expireOnCommit: [false, true]))
        #expect(results.count == 4, "every case ran")
        #expect(results.prefix(2).map { $0.error?.kind } == ["StaleDataError", "ObjectDeletedError"])
        #expect(results.prefix(2).allSatisfy { $0.error?.line == nil && $0.error?.step.hasPrefix("observe: plain SQL read") == true })
        #expect(results[0].statements.contains { $0.sql.hasPrefix("UPDATE lamps SET status") }, "the autoflush's UPDATE matched no row")
        #expect(results[0].observation.committedStatus == nil, "the app's delete was committed")
        #expect(results.suffix(2).allSatisfy { $0.error == nil && $0.verdict == .stale })
        let summary = SummaryRenderer.render(results)
        #expect(summary.contains("error-observation-autoflush (expire_on_commit=false) (error at the observation's SQL read: StaleDataError)"), "\(summary)")
    }

    @Test("a serialization failure (SQLSTATE 40001) in the shared session is the case's outcome")
    func serializationFailure() throws {
        let results = try ScenarioCases.run([try Self.user("error-serialization-failure")])
        let result = try #require(results.first)
        #expect(result.error?.kind == "serialization_failure")
        #expect(result.error?.line == 9)
        #expect(result.error?.message.contains("40001") == true, "\(String(describing: result.error))")
        #expect(result.observation.committedStatus == "on", "the independent app's commit stands; S1's transaction was rolled back")
        #expect(result.statements.contains { $0.error?.sqlState == SQLState.serializationFailure.rawValue })
        let table = TableRenderer.render(results, colored: false)
        #expect(table.contains("error at line 9: serialization_failure"), "\(table)")
        #expect(TraceRenderer.render(result).contains("=> error at line 9: serialization_failure (line 9: S3 switch-on commit: "))
    }

    @Test("--stop-at-failed-expect ends the case at the failed expect, and says when running on differs")
    func stopAtFailedExpect() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        runner.stopAtFailedExpect = true
        let cases = Dimensions().cases(for: [try Self.user("expect-then-refresh"), try ScenarioCases.builtIn("refresh")])
        let results = try runner.run(cases).cases
        let stopped = try #require(results.first)
        #expect(stopped.stoppedAtLine == 8)
        #expect(stopped.expectations.count == 1, "the steps after line 8 did not run")
        #expect(stopped.observation.objectStatus == "off")
        #expect(stopped.outcomeText == "false failure")
        #expect(stopped.outcomeWithoutStopping == .trueFailure, "run on, the refresh makes the object fresh; line 8 still failed")
        #expect(results[1].stoppedAtLine == nil, "a case whose expects hold runs to its end")
        let summary = SummaryRenderer.render(results)
        #expect(summary.contains("Stopped at a failed expect (--stop-at-failed-expect): expect-then-refresh (line 8)."), "\(summary)")
        #expect(summary.contains("Run to their end instead, these give another outcome: expect-then-refresh (true failure instead of false failure)."), "\(summary)")
        #expect(JSONLinesRenderer.line(stopped).hasSuffix("\"stopped_at_line\": 8, \"outcome_without_stopping\": \"true failure\"}"))
        let soft = try ScenarioCases.run([try Self.user("expect-then-refresh")])
        #expect(soft.first?.stoppedAtLine == nil)
        #expect(soft.first?.outcomeText == "true failure")
    }
}
