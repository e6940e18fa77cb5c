import Testing
@testable import Scenario

/// The `reads=` session setting: which cluster a test session reads from.
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
        #expect(clusters == ["standby", "primary", "standby", "standby", "standby"])
        #expect(Set(BuiltInScenarios.names).isDisjoint(with: BuiltInScenarios.replicaNames))
    }
}
