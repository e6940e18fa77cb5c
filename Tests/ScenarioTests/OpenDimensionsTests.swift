import LampSession
import Scenario
import TestSupport
import Testing

/// Only the dimensions a file leaves open are enumerated (issue 12, section 5).
@Suite("Open dimensions", .bounded)
struct OpenDimensionsTests {
    static func parse(_ text: String) throws -> ScenarioDefinition {
        try ScenarioParser(file: "x").parse(bytes: Array(text.utf8))
    }

    @Test("a test session that pins its level, with an app that uses it, runs once, not once per --isolation")
    func sharedSessionTakesTheTestsLevel() throws {
        let definition = try Self.parse("scenario x\nsession S1 test isolation=repeatable-read\nsession S2 app uses S1\nS1 create\nS2 switch-on\n")
        #expect(!definition.isolationIsOpen)
        let cases = Dimensions(isolations: [.readCommitted, .repeatableRead, .serializable]).cases(for: [definition])
        #expect(cases.map(\.settings.isolation) == [.repeatableRead])
    }

    @Test("an app session with its own connection and no level keeps the dimension open")
    func ownAppKeepsItOpen() throws {
        let definition = try Self.parse("scenario x\nsession S1 test isolation=repeatable-read\nsession S2 app\nS1 create\nS2 switch-on\n")
        #expect(definition.isolationIsOpen)
        #expect(Dimensions(isolations: [.readCommitted, .serializable]).cases(for: [definition]).count == 2)
    }
}
