import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// A step waiting on a lock another session of the scenario holds: seen as PostgreSQL's isolation
/// tester sees it, cancelled, and reported as the case's outcome `blocked`, naming the holder.
@Suite("Blocked steps", .bounded)
struct BlockedStepTests {
    static func user(_ name: String) throws -> ScenarioDefinition {
        let bytes = try Data(contentsOf: Fixtures.url("user-scenarios/\(name).scenario"))
        return try ScenarioParser(file: "\(name).scenario").parse(bytes: Array(bytes))
    }

    @Test("the self-deadlock ends its case as blocked by S1 within a second, the app's UPDATE cancelled, and the next case runs")
    func selfDeadlock() throws {
        let started = Date()
        let results = try ScenarioCases.run([try Self.user("blocked-self-deadlock"), try ScenarioCases.builtIn("refresh")],
                                            Dimensions(isolations: [.readCommitted, .repeatableRead]))
        #expect(Date().timeIntervalSince(started) < 5, "no hang: detected in milliseconds")
        #expect(results.count == 4)
        for blocked in results.prefix(2) {
            let error = try #require(blocked.error)
            #expect(error.kind == "blocked")
            #expect(error.holder == "S1")
            #expect(error.line == 12)
            #expect(error.step == "line 12: S3 switch-on commit")
            #expect(blocked.outcomeText == "blocked")
            #expect(blocked.observation.committedStatus == "off", "S1's flushed UPDATE was rolled back at teardown; S3's never ran")
            let cancelled = try #require(blocked.statements.last { $0.error != nil })
            #expect(cancelled.sql.hasPrefix("UPDATE"), "the waiting statement is the app's UPDATE")
            #expect(cancelled.error?.message == "S3 waits for a lock held by S1")
        }
        #expect(results.suffix(2).allSatisfy { $0.error == nil }, "the remaining cases ran")
        #expect(JSONLinesRenderer.line(results[0]).hasSuffix("\"outcome\": \"blocked\", \"layer\": null, \"error\": {\"kind\": \"blocked\", \"line\": 12, \"holder\": \"S1\"}}"))
        let summary = SummaryRenderer.render(results)
        #expect(summary.contains("Blocked (a step waited on a lock held by another session of the scenario; it was cancelled): "
            + "blocked-self-deadlock (line 12: S3 switch-on commit waited for S1)."), "\(summary)")
    }

    @Test("the server saw no waiting backend left behind: the run's connections are idle afterwards")
    func nothingLeftWaiting() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        var waiting: [String] = []
        runner.beforeStep = { context in
            guard context.phase == "observe" else { return }
            let admin = try TestDatabase.connect()
            defer { admin.close() }
            let pids = context.backends.values.map(String.init).joined(separator: ",")
            waiting = try admin.execute(
                "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ANY(string_to_array($1, ',')::int[]) AND wait_event_type = 'Lock'",
                [pids]).rows.compactMap { $0.first ?? nil }
        }
        let result = try #require(try runner.run(Dimensions().cases(for: [try Self.user("blocked-self-deadlock")])).cases.first)
        #expect(result.error?.isBlocked == true)
        #expect(waiting.isEmpty, "the cancelled statement no longer waits: \(waiting)")
    }
}
