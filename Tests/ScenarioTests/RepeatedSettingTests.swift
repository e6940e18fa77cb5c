import LampSession
import Scenario
import TestSupport
import Testing

/// A session setting given twice on one line is refused with file, line and column (the last one
/// silently won: `isolation=read-committed isolation=serializable` ran serializable).
@Suite("Session settings given twice", .bounded)
struct RepeatedSettingTests {
    struct Repeated: Sendable, CustomTestStringConvertible {
        var line: String
        var column: Int
        var message: String
        var testDescription: String { line }
    }

    static let repeated: [Repeated] = [
        Repeated(line: "session S1 test isolation=read-committed isolation=serializable", column: 42,
                 message: "'isolation' was already given at column 17: give each setting once"),
        Repeated(line: "session S1 test isolation=serializable isolation=serializable", column: 40,
                 message: "'isolation' was already given at column 17: give each setting once"),
        Repeated(line: "session S1 test expire_on_commit=true driver=async expire_on_commit=false", column: 52,
                 message: "'expire_on_commit' was already given at column 17: give each setting once"),
        Repeated(line: "session S1 test autoflush=false autoflush=false", column: 33,
                 message: "'autoflush' was already given at column 17: give each setting once"),
    ]

    @Test("refused at the second one", arguments: repeated)
    func refused(_ repeated: Repeated) throws {
        let text = "scenario x\n\(repeated.line)\nsession S2 app\nS1 create\nS1 expect off\n"
        let error = try #require(throws: ScenarioParseError.self) { try ScenarioParser(file: "t.scenario").parse(text) }
        #expect(error.description == "t.scenario:2:\(repeated.column): \(repeated.message)")
    }

    @Test("different settings on one line still parse")
    func differentSettings() throws {
        let text = "scenario x\nsession S1 test isolation=serializable expire_on_commit=true\nsession S2 app\nS1 create\nS1 expect off\n"
        let definition = try ScenarioParser(file: "t.scenario").parse(text)
        #expect(definition.testSession.isolation == .serializable)
        #expect(definition.testSession.expireOnCommit == true)
    }
}
