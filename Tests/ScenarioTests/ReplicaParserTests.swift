import TestSupport
import LampSession
import Testing
@testable import Scenario
@testable import ScenarioModel

/// The `reads=` session setting: which cluster a test session reads from.
@Suite("reads= on a session", .bounded)
struct ReplicaParserTests {
    let parser = ScenarioParser(file: "t.scenario")

    @Test("reads=standby and reads=primary set the session's cluster; left out, it is the primary")
    func readsSetsTheCluster() throws {
        let standby = try parser.parse("scenario x\nsession S1 test reads=standby\nsession S2 app\nS1 create\nS1 expect on\n")
        #expect(standby.declaration("S1")?.cluster == "standby")
        #expect(standby.declaration("S2")?.cluster == "primary")
        let primary = try parser.parse("scenario x\nsession S1 test reads=primary\nS1 create\n")
        #expect(primary.declaration("S1")?.cluster == "primary")
    }

    @Test("a bad value, or reads= on an app session, is refused with line and column")
    func refusals() {
        #expect(throws: ScenarioParseError.self) { try parser.parse("scenario x\nsession S1 test reads=replica\n") }
        do {
            _ = try parser.parse("scenario x\nsession S1 test reads=replica\n")
        } catch let error as ScenarioParseError {
            #expect(error.description.contains("expected standby or primary, found 'replica'"))
        } catch {
            Issue.record("unexpected \(error)")
        }
        do {
            _ = try parser.parse("scenario x\nsession S1 test\nsession S2 app reads=standby\n")
            Issue.record("reads= on an app session was accepted")
        } catch let error as ScenarioParseError {
            #expect(error.description.contains("'reads' is a setting of test sessions only"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("the replica built-ins parse, are named after their files, and read where they say")
    func builtIns() throws {
        let clusters = try BuiltInScenarios.replicaNames.map { name in
            let definition = try #require(try BuiltInScenarios.definition(named: name))
            #expect(definition.name == name)
            return definition.testSession.cluster
        }
        #expect(clusters == ["standby", "primary", "standby", "standby", "standby", "standby", "standby"])
        #expect(Set(BuiltInScenarios.names).isDisjoint(with: BuiltInScenarios.replicaNames))
    }

    @Test("sticky=DURATION and synchronous_commit=: parsed, with their sessions and values checked")
    func stickyAndSynchronousCommit() throws {
        let parsed = try parser.parse("""
            scenario x
            session S1 test reads=standby sticky=2s
            session S2 app synchronous_commit=remote_apply
            S1 create
            """)
        #expect(parsed.declaration("S1")?.stickyMilliseconds == 2000)
        #expect(parsed.declaration("S2")?.synchronousCommit == .remoteApply)
        #expect(StickyWindow.milliseconds("500ms") == 500)
        #expect(StickyWindow.milliseconds("2s") == 2000)
        for bad in ["2", "s", "ms", "-1s", "1.5s", "２s", "99999999999999999999s"] {
            #expect(StickyWindow.milliseconds(bad) == nil, "\(bad)")
        }
        for (text, message) in [
            ("session S1 test reads=standby sticky=soon", "expected a duration such as 2s or 500ms, found 'soon'"),
            ("session S1 test sticky=2s", "add reads=standby"),
            ("session S1 test\nsession S2 app synchronous_commit=local", "expected remote_apply or off, found 'local'"),
            ("session S1 test synchronous_commit=remote_apply", "'synchronous_commit' is a setting of app sessions only"),
            ("session S1 test reads=replica", "expected standby or primary, found 'replica'"),
            ("session S1 test reads=standby fixture=savepoint-join", "'reads=standby' needs fixture=independent: under savepoint-join"),
        ] {
            do {
                _ = try parser.parse("scenario x\n\(text)\nS1 create\n")
                Issue.record("accepted: \(text)")
            } catch let error as ScenarioParseError {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test("a test session that reads the standby pins the independent recipe; fixture=independent is accepted")
    func standbyPinsIndependentRecipe() throws {
        let open = try parser.parse("scenario x\nsession S1 test reads=standby\nS1 create\n")
        #expect(!open.fixtureIsOpen)
        let cases = Dimensions(fixtures: [.savepointJoin, .rollbackPerTest]).cases(for: [open])
        #expect(cases.map(\.settings.fixture) == [.independent])
        let pinned = try parser.parse("scenario x\nsession S1 test reads=standby fixture=independent\nS1 create\n")
        #expect(pinned.testSession.fixture == .independent)
        let primary = try parser.parse("scenario x\nsession S1 test\nS1 create\n")
        #expect(primary.fixtureIsOpen)
    }
}
