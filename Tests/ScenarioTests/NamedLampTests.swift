import Foundation
import LampApp
import LampSession
import Scenario
import ScenarioRendering
import TestSupport
import Testing

/// Several named lamps, select-all, merge, the app's delete and get of a missing row, run against
/// a real PostgreSQL (what SQLAlchemy does here is cross-checked by SQLAlchemyCrosscheckTests).
@Suite("Named lamps and object steps", .bounded)
struct NamedLampTests {
    static func run(_ text: String, app: AppMode = .commit) throws -> CaseResult {
        let definition = try ScenarioParser(file: "t.scenario").parse(text)
        return try #require(try ScenarioCases.run([definition], Dimensions(apps: [app])).first)
    }

    @Test("a file with named lamps parses each name apart from the step's argument")
    func parse() throws {
        let definition = try ScenarioParser(file: "t.scenario").parse("""
            scenario named
            session S1 test
            session S2 app
            S1 create a on
            S1 create b
            S1 select a populate-existing
            S1 read b status awaitable
            S2 switch-on b flush
            S2 delete a
            S1 select-all
            S1 merge b
            S1 expect b on
            """)
        #expect(definition.steps.map(\.lamp) == ["a", "b", "a", "b", "b", "a", nil, "b", "b"])
        #expect(definition.steps.map(\.action) == [
            .create(status: "on"), .create(status: nil), .select(populateExisting: true),
            .read(attribute: .status, awaited: true), .switchOn(.flush), .delete(nil), .selectAll, .merge, .expect("on"),
        ])
        #expect(StepMarker(definition.steps[2]).title == "line 6: S1 select a populate-existing")
        #expect(definition.fixedAppMode == .flush && definition.appModeIsOpen)
    }

    @Test("two lamps: the app switches b on; a stays as loaded; the observation reads the lamp the last expect names")
    func twoLamps() throws {
        let result = try Self.run("""
            scenario two
            session S1 test
            session S2 app
            S1 create a
            S1 create b
            S1 refresh b
            S2 switch-on b
            S1 expect a off
            S1 expect b on
            """)
        #expect(result.observation.lamp == "b")
        #expect(result.observation.objectStatus == "off" && result.observation.committedStatus == "on")
        #expect(result.expectations.map(\.held) == [true, false])
        #expect(JSONLinesRenderer.line(result).contains("\"app\": \"commit\", \"lamp\": \"b\", \"object_status\": \"off\""))
    }

    @Test("get of a row the app deleted leaves None: expect is AttributeError at its line, refresh UnmappedInstanceError")
    func getMissing() throws {
        let expect = try Self.run("scenario g\nsession S1 test\nsession S2 app\nS1 create\nS1 expunge\nS2 delete\nS1 get\nS1 expect on\n")
        #expect(expect.error?.kind == "AttributeError")
        #expect(expect.error?.line == 8)
        #expect(expect.observation.committedStatus == nil)
        #expect(!expect.observation.sameObject)
        let refresh = try Self.run("scenario g\nsession S1 test\nsession S2 app\nS1 create\nS1 expunge\nS2 delete\nS1 get\nS1 refresh\n")
        #expect(refresh.error?.kind == "UnmappedInstanceError")
        let final = try Self.run("scenario g\nsession S1 test\nsession S2 app\nS1 create\nS1 expunge\nS2 delete\nS1 get\n")
        #expect(final.error?.kind == "AttributeError" && final.error?.line == nil, "the final assertion reads None.status")
    }

    @Test("the app's delete, only flushed, is rolled back: get finds the row")
    func deleteFlushOnly() throws {
        let result = try Self.run("scenario g\nsession S1 test\nsession S2 app\nS1 create\nS1 expunge\nS2 delete\nS1 get\nS1 expect off\n",
                                  app: .flush)
        #expect(result.error == nil)
        #expect(result.observation.objectStatus == "off" && result.observation.committedStatus == "off")
        #expect(result.statements.contains { $0.sql.hasPrefix("DELETE FROM lamps") })
    }

    @Test("merge of the stale detached object writes its 'off' back over the app's 'on'")
    func mergeLostUpdate() throws {
        let result = try Self.run("""
            scenario m
            session S1 test
            session S2 app
            S1 create
            S1 refresh
            S1 expunge
            S2 switch-on
            S1 merge
            S1 commit
            """)
        #expect(result.observation.committedStatus == "off")
        #expect(!result.observation.sameObject)
        #expect(result.statements.contains { $0.sql == "UPDATE lamps SET status=$1 WHERE lamps.id = $2" && $0.parameters == ["off", String(result.lampID)] })
    }

    @Test("select-all: the expunged lamp's row becomes a new object, the loaded one keeps its value")
    func selectAll() throws {
        let result = try Self.run("""
            scenario s
            session S1 test
            session S2 app
            S1 create a
            S1 create b
            S1 refresh a
            S1 refresh b
            S1 expunge b
            S2 switch-on a
            S2 switch-on b
            S1 select-all
            S1 expect a on
            S1 expect b on
            """)
        #expect(result.expectations.map(\.held) == [false, true])
        #expect(result.observation.lamp == "b" && !result.observation.sameObject)
    }
}
