import LampApp
import LampSession
@testable import Scenario
import Testing

@Suite("Scenario file parser")
struct ParserTests {
    let parser = ScenarioParser(file: "t.scenario")

    @Test("a full file: sessions, settings, every step kind, comments")
    func validFile() throws {
        let text = """
            # comment line
            scenario my-test   # trailing comment
            summary a test that reads twice

            session S1 test expire_on_commit=true isolation=repeatable-read
            session S2 app isolation=serializable
            session APP app uses S1
            S1 create on
            S1 select
            S1 select populate-existing
            S1 refresh
            S1 expire
            S1 expire-all
            S1 flush
            S1 commit
            S1 rollback
            S1 sql-read
            S2 switch-on
            APP switch-on flush
            S1 close
            S1 expect on
            """
        let definition = try parser.parse(text)
        #expect(definition.name == "my-test")
        #expect(definition.summary == "a test that reads twice")
        #expect(definition.sessions == [
            SessionDeclaration(name: "S1", role: .test, expireOnCommit: true, isolation: .repeatableRead),
            SessionDeclaration(name: "S2", role: .application, isolation: .serializable),
            SessionDeclaration(name: "APP", role: .applicationUsing("S1")),
        ])
        #expect(definition.steps.map(\.action) == [
            .create(status: "on"), .select(populateExisting: false), .select(populateExisting: true), .refresh,
            .expire, .expireAll, .flush, .commit, .rollback, .sqlRead, .switchOn(nil), .switchOn(.flush), .close,
            .expect("on"),
        ])
        #expect(definition.steps.first?.line == 8)
        #expect(!definition.expireOnCommitIsOpen)
        #expect(definition.appModeIsOpen)
    }

    @Test("CRLF line endings parse like LF")
    func crlf() throws {
        let definition = try parser.parse("scenario x\r\nsession S1 test\r\nsession S2 app\r\nS1 create\r\nS2 switch-on\r\n")
        #expect(definition.steps.count == 2)
        #expect(definition.steps[1].line == 5)
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { message }
    }

    static let bad: [Bad] = [
        Bad(text: "", line: 1, column: 1, message: "expected 'scenario NAME', found end of file"),
        Bad(text: "session S1 test", line: 1, column: 1, message: "expected 'scenario NAME' before sessions"),
        Bad(text: "scenario", line: 1, column: 9, message: "expected 'scenario NAME'"),
        Bad(text: "scenario a b", line: 1, column: 12, message: "expected 'scenario NAME'"),
        Bad(text: "scenario a/b", line: 1, column: 10, message: "expected a scenario name"),
        Bad(text: "scenario x\nsession S1 tester", line: 2, column: 12, message: "expected 'test' or 'app', found 'tester'"),
        Bad(text: "scenario x\nsession S1 test expire_on_commit=yes", line: 2, column: 34, message: "expected true or false, found 'yes'"),
        Bad(text: "scenario x\nsession S1 test isolation=chaos", line: 2, column: 27, message: "expected read-committed, repeatable-read, serializable or server-default, found 'chaos'"),
        Bad(text: "scenario x\nsession S1 test colour=red", line: 2, column: 17, message: "expected expire_on_commit= or isolation=, found 'colour'"),
        Bad(text: "scenario x\nsession S1 test\nsession S1 app", line: 3, column: 9, message: "session 'S1' is already declared"),
        Bad(text: "scenario x\nsession S1 test\nsession S2 app uses S9", line: 3, column: 21, message: "expected the name of the test session declared above, found 'S9'"),
        Bad(text: "scenario x\nsession S1 test\nS2 create", line: 3, column: 1, message: "expected a declared session (S1) or a keyword, found 'S2'"),
        Bad(text: "scenario x\nsession S1 test\nS1 explode", line: 3, column: 4, message: "expected an operation"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 refresh now", line: 4, column: 12, message: "'refresh' takes no argument, found 'now'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create dim", line: 3, column: 11, message: "expected on or off, found 'dim'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 expect", line: 4, column: 10, message: "expected 'expect on' or 'expect off'"),
        Bad(text: "scenario x\nsession S1 test\nsession S2 app\nS1 create\nS2 refresh", line: 5, column: 4, message: "S2 is an application session"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 switch-on", line: 4, column: 4, message: "'switch-on' is the application's step"),
        Bad(text: "scenario x\nsession S1 test\nS1 refresh\nS1 create", line: 3, column: 1, message: "'refresh' before the lamp exists"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 create", line: 4, column: 1, message: "a scenario creates one lamp"),
        Bad(text: "scenario x\nsession S2 app\nS2 switch-on", line: 3, column: 1, message: "expected exactly one test session"),
        Bad(text: "scenario x\nsession S1 test\nS1 select", line: 3, column: 1, message: "expected a 'create' step"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nsession S2 app", line: 4, column: 1, message: "sessions are declared before the first step"),
        Bad(text: "scenario x\nsession create test", line: 2, column: 9, message: "'create' is a keyword"),
    ]

    @Test("errors name line and column and what was expected", arguments: bad)
    func errors(_ bad: Bad) throws {
        let error = try #require(throws: ScenarioParseError.self) { try parser.parse(bad.text) }
        #expect(error.file == "t.scenario")
        #expect(error.message.contains(bad.message), "\(error)")
        #expect(error.line == bad.line, "\(error)")
        #expect(error.column == bad.column, "\(error)")
        #expect(error.description.hasPrefix("t.scenario:\(bad.line):\(bad.column): "))
    }

    @Test("binary, non-UTF-8 and oversized content are rejected with a location")
    func unreadableContent() throws {
        let binary = try #require(throws: ScenarioParseError.self) { try parser.parse(bytes: Array("scenario x\n\u{0}\u{1}".utf8)) }
        #expect(binary.message.contains("binary"))
        #expect(binary.line == 2)
        let latin1 = try #require(throws: ScenarioParseError.self) { try parser.parse(bytes: [0x73, 0xE9, 0xFF]) }
        #expect(latin1.message.contains("UTF-8"))
        let huge = try #require(throws: ScenarioParseError.self) {
            try parser.parse(bytes: Array(repeating: 0x23, count: ScenarioParser.maximumSize + 1))
        }
        #expect(huge.message.contains("too large"))
    }

    @Test("every built-in file parses, and its name is its file name", arguments: BuiltInScenarios.names)
    func builtIns(_ name: String) throws {
        let definition = try #require(try BuiltInScenarios.definition(named: name))
        #expect(definition.name == name)
        #expect(!definition.summary.isEmpty)
        #expect(definition.isolationIsOpen && definition.expireOnCommitIsOpen && definition.appModeIsOpen)
    }
}
