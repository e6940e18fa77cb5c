import Foundation
import LampApp
import LampSession
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// The driver dimension: `session S1 test driver=async|sync`, `--driver`, MissingGreenlet as a
/// case's outcome, and the `driver` column/key only in runs that include an async session.
@Suite("Async test sessions in scenarios", .bounded)
struct AsyncDriverTests {
    static func user(_ name: String) throws -> ScenarioDefinition {
        let bytes = try Data(contentsOf: Fixtures.url("user-scenarios/\(name).scenario"))
        return try ScenarioParser(file: "\(name).scenario").parse(bytes: Array(bytes))
    }

    @Test("create then read status: sync reads 'off' (lazy load), async raises MissingGreenlet at its line, when expire_on_commit expired it")
    func missingGreenlet() throws {
        let results = try ScenarioCases.run([try Self.user("read-id-then-awaitable")],
                                            Dimensions(isolations: [.readCommitted], drivers: [.sync, .async]))
        #expect(results.map(\.settings.driver) == [.sync, .async])
        #expect(results[0].error == nil)
        #expect(results[0].observation.objectStatus == "off", "read id loaded the row before the app committed")
        #expect(results[0].flavor == .sqlalchemy)
        #expect(results[1].error?.kind == "MissingGreenlet")
        #expect(results[1].error?.line == 9)
        #expect(results[1].flavor == .sqlalchemyAsync)
        #expect(!results[1].statements.contains { $0.sql.hasPrefix("SELECT lamps.id") }, "the failed read sent nothing")
        let table = TableRenderer.render(results, colored: false)
        #expect(table.hasPrefix("strategy                isolation       expire_on_commit  app     driver  object"), "\(table)")
        #expect(JSONLinesRenderer.render(results).contains("\"app\": \"commit\", \"driver\": \"async\", \"object_status\": null"))
        #expect(results[1].settingsLabel() == "read committed, expire_on_commit=true, app=commit, driver=async")
    }

    @Test("a file that pins driver=async runs once, async, whatever --driver says; sync-only runs have no driver column")
    func pinnedDriver() throws {
        let definition = try Self.user("async-read-after-commit")
        let cases = Dimensions(drivers: [.sync, .async]).cases(for: [definition])
        #expect(cases.map(\.settings.driver) == [.async])
        let sync = try ScenarioCases.run([try ScenarioCases.builtIn("none")])
        #expect(!TableRenderer.render(sync, colored: false).contains("driver"))
        #expect(!JSONLinesRenderer.render(sync).contains("driver"))
    }

    @Test("the driver setting parses, is for test sessions only, and refuses other values")
    func parsing() throws {
        let good = "scenario x\nsession S1 test driver=async\nS1 create\nS1 read status awaitable\nS1 read id\n"
        let parsed = try ScenarioParser(file: "x").parse(bytes: Array(good.utf8))
        #expect(parsed.testSession.driver == .async)
        #expect(parsed.steps.map(\.action) == [.create(status: nil), .read(attribute: .status, awaited: true), .read(attribute: .id, awaited: false)])
        let app = "scenario x\nsession S1 test\nsession S2 app driver=async\nS1 create\n"
        #expect(throws: ScenarioParseError.self) { try ScenarioParser(file: "x").parse(bytes: Array(app.utf8)) }
        let bad = "scenario x\nsession S1 test driver=trio\nS1 create\n"
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser(file: "x").parse(bytes: Array(bad.utf8)) }
        #expect("\(error)".contains("expected sync or async, found 'trio'"), "\(error)")
        let extra = "scenario x\nsession S1 test\nS1 create\nS1 read status now\n"
        #expect(throws: ScenarioParseError.self) { try ScenarioParser(file: "x").parse(bytes: Array(extra.utf8)) }
    }
}
