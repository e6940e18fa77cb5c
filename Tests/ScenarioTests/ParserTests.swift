import LampApp
import LampSession
@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

@Suite("Scenario file parser", .bounded)
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
        Bad(text: "scenario", line: 1, column: 9, message: "expected 'scenario NAME [orm=ORM]'"),
        Bad(text: "scenario a b", line: 1, column: 12, message: "expected 'orm=sqlalchemy|django' after the scenario name, found 'b'"),
        Bad(text: "scenario a orm=django x", line: 1, column: 23, message: "expected 'scenario NAME [orm=ORM]'"),
        Bad(text: "scenario a orm=djnago", line: 1, column: 16, message: "expected sqlalchemy or django, found 'djnago' (did you mean 'django'?)"),
        Bad(text: "scenario a orm=django\nsession S1 test expire_on_commit=true", line: 2, column: 17,
            message: "'expire_on_commit' is SQLAlchemy's, not Django's (this file is orm=django)"),
        Bad(text: "scenario a orm=django\nsession S1 test fixture=savepoint-join", line: 2, column: 25,
            message: "the test wrapper 'savepoint-join' is SQLAlchemy's, not Django's (this file is orm=django)"),
        Bad(text: "scenario a\nsession S1 test fixture=test-case", line: 2, column: 25,
            message: "the test wrapper 'test-case' is Django's, not SQLAlchemy's (this file is orm=sqlalchemy)"),
        Bad(text: "scenario a orm=django\nsession S1 test\nS1 create\nS1 expire", line: 4, column: 4,
            message: "'expire' is SQLAlchemy's, not Django's (this file is orm=django)"),
        Bad(text: "scenario a\nsession S1 test\nS1 create\nS1 atomic", line: 4, column: 4,
            message: "'atomic' is Django's, not SQLAlchemy's (this file is orm=sqlalchemy)"),
        Bad(text: "scenario a orm=django\nsession S1 test\nsession S2 app\nS1 create\nS2 switch-on commit", line: 5, column: 14,
            message: "'switch-on' takes no argument, found 'commit'"),
        Bad(text: "scenario a/b", line: 1, column: 10, message: "expected a scenario name"),
        Bad(text: "scenario x\nsession S1 tester", line: 2, column: 12, message: "expected 'test', 'app' or 'worker', found 'tester'"),
        Bad(text: "scenario x\nsession S1 test expire_on_commit=yes", line: 2, column: 34, message: "expected true or false, found 'yes'"),
        Bad(text: "scenario x\nsession S1 test isolation=chaos", line: 2, column: 27, message: "expected read-committed, repeatable-read, serializable or server-default, found 'chaos'"),
        Bad(text: "scenario x\nsession S1 test colour=red", line: 2, column: 17, message: "expected expire_on_commit=, isolation=, driver=, autoflush=, reads=, sticky=, synchronous_commit= or fixture=, found 'colour'"),
        Bad(text: "scenario x\nsession S1 test\nsession S1 app", line: 3, column: 9, message: "session 'S1' is already declared"),
        Bad(text: "scenario x\nsession S1 test\nsession S2 app uses S9", line: 3, column: 21, message: "expected the name of the test session declared above, found 'S9'"),
        Bad(text: "scenario x\nsession S1 test\nS2 create", line: 3, column: 1, message: "expected a declared session (S1) or a keyword, found 'S2'"),
        Bad(text: "scenario x\nsession S1 test\nS1 explode", line: 3, column: 4, message: "expected an operation"),
        Bad(text: "scenario x\nsession S1 test\nS1 craete", line: 3, column: 4, message: "found 'craete' (did you mean 'create'?)"),
        Bad(text: "scenario x\nsession S1 tset", line: 2, column: 12, message: "found 'tset' (did you mean 'test'?)"),
        Bad(text: "scenario x\nsession S1 test isolaton=serializable", line: 2, column: 17, message: "found 'isolaton' (did you mean 'isolation'?)"),
        Bad(text: "scenario x\nsession S1 test isolation=serialisable", line: 2, column: 27, message: "found 'serialisable' (did you mean 'serializable'?)"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 expire-all now", line: 4, column: 15, message: "'expire-all' takes no argument, found 'now'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 expire Now", line: 4, column: 11, message: "'expire' takes no argument, found 'Now'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 refresh now", line: 4, column: 12,
            message: "lamp 'now' is not created yet; expected 'create now' before this step (or an argument: status)"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 refresh a-b", line: 4, column: 12, message: "expected status, found 'a-b'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create Dim", line: 3, column: 11, message: "expected on or off, found 'Dim'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create a\nS1 create a on", line: 4, column: 11, message: "lamp 'a' is already created"),
        Bad(text: "scenario x\nsession S1 test\nS1 create a\nS1 expect on", line: 4, column: 1, message: "'expect' acts on the unnamed lamp"),
        Bad(text: "scenario x\nsession S1 test\nS1 create a\nS1 select-all a", line: 4, column: 15, message: "'select-all' takes no argument, found 'a'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create a\nS1 expect a on off", line: 4, column: 16, message: "unexpected 'off'"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 expect", line: 4, column: 10, message: "expected 'expect on' or 'expect off'"),
        Bad(text: "scenario x\nsession S1 test\nsession S2 app\nS1 create\nS2 refresh", line: 5, column: 4, message: "S2 is an application session"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 switch-on", line: 4, column: 4, message: "'switch-on' is the application's step"),
        Bad(text: "scenario x\nsession S1 test\nS1 refresh\nS1 create", line: 3, column: 1, message: "'refresh' before the lamp exists"),
        Bad(text: "scenario x\nsession S1 test\nS1 create\nS1 create", line: 4, column: 1, message: "a scenario creates each lamp once; found a second 'create' of the unnamed lamp"),
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

    @Test("a UTF-8 byte-order mark at the start is skipped, in bytes and in text; columns do not count it")
    func byteOrderMark() throws {
        let text = "scenario bom\nsession S1 test\nS1 create\n"
        let fromBytes = try parser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(fromBytes.name == "bom")
        #expect(fromBytes.steps.map(\.action) == [.create(status: nil)])
        #expect(try parser.parse("\u{FEFF}" + text) == fromBytes)
        let located = try #require(throws: ScenarioParseError.self) { try parser.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("scenario a b".utf8)) }
        #expect(located.column == 12)
    }

    struct Lookalike: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var character: String
        var testDescription: String { character }
    }

    static let lookalikes: [Lookalike] = [
        Lookalike(text: "scenario x\nsession S1 test\nS1 create\nS1 s\u{0435}lect", line: 4, column: 5, character: "U+0435 CYRILLIC SMALL LETTER IE"),
        Lookalike(text: "s\u{0441}enario x", line: 1, column: 2, character: "U+0441 CYRILLIC SMALL LETTER ES"),
        Lookalike(text: "scenario caf\u{0435}", line: 1, column: 13, character: "U+0435 CYRILLIC SMALL LETTER IE"),
        Lookalike(text: "scenario x\nsession \u{0405}1 test", line: 2, column: 9, character: "U+0405 CYRILLIC CAPITAL LETTER DZE"),
        Lookalike(text: "scenario x\nsession S1 t\u{0435}st", line: 2, column: 13, character: "U+0435 CYRILLIC SMALL LETTER IE"),
        Lookalike(text: "scenario x\nsession S1 test isolation=serializ\u{0430}ble", line: 2, column: 35, character: "U+0430 CYRILLIC SMALL LETTER A"),
        Lookalike(text: "scenario x\nsession S1 test\nS1 create \u{043E}n", line: 3, column: 11, character: "U+043E CYRILLIC SMALL LETTER O"),
        Lookalike(text: "scenario x\nsession S1 test\n\u{0405}1 create", line: 3, column: 1, character: "U+0405 CYRILLIC CAPITAL LETTER DZE"),
        Lookalike(text: "scenario x\nsession S1 test\nS1 create\nS1 \u{200B}refresh", line: 4, column: 4, character: "U+200B ZERO WIDTH SPACE"),
        Lookalike(text: "scenario x\nsession S1 test\nS1 \u{FF43}reate", line: 3, column: 4, character: "U+FF43 FULLWIDTH LATIN SMALL LETTER C"),
        Lookalike(text: "scenario x\nsession S1 test\nS1 cre\u{0301}ate", line: 3, column: 6, character: "U+0301 COMBINING ACUTE ACCENT"),
        Lookalike(text: "\u{FEFF}\u{0301}scenario x", line: 1, column: 1, character: "U+0301 COMBINING ACUTE ACCENT"),
        Lookalike(text: "scenario x\nsession S1 test\nS1 create\n\u{FEFF}S1 refresh", line: 4, column: 1, character: "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ]

    @Test("a non-ASCII character in a keyword or name is refused, named, with its line and column", arguments: lookalikes)
    func nonASCII(_ lookalike: Lookalike) throws {
        let error = try #require(throws: ScenarioParseError.self) { try parser.parse(lookalike.text) }
        #expect(error.message.contains(lookalike.character + ", which is not ASCII"), "\(error)")
        #expect(error.line == lookalike.line, "\(error)")
        #expect(error.column == lookalike.column, "\(error)")
    }

    @Test("summaries and comments may use any characters")
    func nonASCIIText() throws {
        let definition = try parser.parse("scenario x  # l\u{00E4}mpchen\nsummary caf\u{00E9} \u{2014} \u{0441}\nsession S1 test\nS1 create\n")
        #expect(definition.summary == "caf\u{00E9} \u{2014} \u{0441}")
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

    @Test("every fixture built-in parses, fixes its recipe with fixture=, and its name is its file name",
          arguments: BuiltInScenarios.fixtureNames)
    func fixtureBuiltIns(_ name: String) throws {
        let definition = try #require(try BuiltInScenarios.definition(named: name))
        #expect(definition.name == name)
        #expect(!definition.fixtureIsOpen)
        #expect(definition.testSession.fixture.map { "fixture-" + $0.rawValue }.map(name.hasPrefix) == true)
    }

    @Test("fixture= is a test session setting; a wrong recipe or an app session's fixture is refused")
    func fixtureSetting() throws {
        let parser = ScenarioParser(file: "f.scenario")
        let ok = try parser.parse("scenario f\nsession S1 test fixture=rollback-per-test\nS1 create\n")
        #expect(ok.testSession.fixture == .rollbackPerTest)
        let wrong = try #require(throws: ScenarioParseError.self) { try parser.parse("scenario f\nsession S1 test fixture=shared\nS1 create\n") }
        #expect(wrong.message.contains("savepoint-join"))
        #expect(throws: ScenarioParseError.self) { try parser.parse("scenario f\nsession S1 test\nsession S2 app fixture=independent\nS1 create\n") }
    }
}
