import Foundation
@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

/// The keyword tables: every step the table lists parses back to itself, the grammar reference
/// and its JSON come from the same tables, and the README shows the reference verbatim.
@Suite("Scenario grammar tables", .bounded)
struct GrammarTests {
    /// Every way a keyword can be written: alone (unless its argument is required), and with each value.
    static let spellings: [String] = StepKeyword.allCases.flatMap { keyword -> [String] in
        let alone: [String]
        let arguments = keyword.arguments(in: keyword.orms[0])
        if case .required = arguments { alone = [] } else { alone = [keyword.spelling] }
        return alone + arguments.values.map { "\(keyword.spelling) \($0)" }
    }

    @Test("each step spelling parses into the action that spells it the same way", arguments: spellings)
    func roundTrip(_ spelling: String) throws {
        let keyword = try #require(StepKeyword(rawValue: String(spelling.prefix { $0 != " " })))
        let session = ScenarioGrammar.exampleSession(keyword.performer)
        let text = """
            scenario round-trip orm=\(keyword.orms[0])
            session S1 test
            session S2 app
            \(keyword == .create ? "" : "S1 create")
            \(session) \(spelling)
            """
        let step = try #require(try ScenarioParser(file: "t.scenario").parse(text).steps.last)
        #expect(step.session == session)
        #expect(step.action.keyword == keyword)
        #expect(step.action.text == spelling)
        #expect(keyword.action(argument: step.action.argument) == step.action)
    }

    @Test("a keyword refuses arguments its table entry does not list", arguments: StepKeyword.allCases)
    func refusesOtherArguments(_ keyword: StepKeyword) {
        #expect(keyword.action(argument: "sideways") == nil)
        if case .required = keyword.arguments {
            #expect(keyword.action(argument: nil) == nil)
        } else {
            #expect(keyword.action(argument: nil) != nil)
        }
    }

    @Test("the reference has one line per line keyword, session kind, setting and step, with its help")
    func referenceCoversTheTables() {
        let lines = ScenarioGrammar.reference.split(separator: "\n").map(String.init)
        for keyword in StepKeyword.accepted(by: .sqlalchemy) {
            let syntax = "\(ScenarioGrammar.exampleSession(keyword.performer)) \(keyword.spelling)"
            #expect(lines.contains { $0.hasPrefix(syntax + " ") && $0.hasSuffix("# " + keyword.help) }, "\(keyword)")
        }
        for setting in SessionSetting.allCases {
            #expect(lines.contains { $0.hasPrefix("  " + setting.syntax + " ") && $0.hasSuffix("# " + setting.help) })
        }
        for line in LineKeyword.allCases {
            #expect(lines.contains { $0.hasPrefix(line.syntax + " ") && $0.hasSuffix("# " + line.help) })
        }
        for role in SessionRoleKeyword.allCases {
            #expect(lines.contains { $0.hasPrefix("  " + role.spelling + " ") && $0.hasSuffix("# " + role.help) })
        }
        #expect(lines.count == 3 + LineKeyword.allCases.count + SessionRoleKeyword.allCases.count
                + SessionSetting.allCases.count + StepKeyword.accepted(by: .sqlalchemy).count)
    }

    @Test("Django's reference has the lines a Django file accepts, and only those")
    func djangoReference() throws {
        let lines = ScenarioGrammar.reference(for: .django).split(separator: "\n").map(String.init)
        for keyword in StepKeyword.allCases {
            let syntax = "\(ScenarioGrammar.exampleSession(keyword.performer)) \(keyword.spelling)"
            let listed = lines.contains { $0.hasPrefix(syntax + " ") || $0 == syntax }
            #expect(listed == keyword.orms.contains(.django), "\(keyword)")
        }
        #expect(lines.contains { $0.hasPrefix("  fixture=WRAPPER ") && $0.contains("live-server, transaction-test-case, test-case, test-case-live-server") })
        #expect(!lines.contains { $0.hasPrefix("  expire_on_commit") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ScenarioGrammar.json(for: .django).utf8)) as? [String: Any])
        let steps = ((object["steps"] as? [[String: Any]]) ?? []).compactMap { $0["keyword"] as? String }
        #expect(steps == StepKeyword.accepted(by: .django).map(\.spelling))
        let switchOn = try #require((object["steps"] as? [[String: Any]])?.first { $0["keyword"] as? String == "switch-on" })
        #expect(switchOn["arguments"] as? String == "none")
    }

    @Test("the JSON form is valid JSON with the same tables")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ScenarioGrammar.json.utf8)) as? [String: Any])
        func keywords(_ table: String) -> [String] {
            ((object[table] as? [[String: Any]]) ?? []).compactMap { $0["keyword"] as? String }
        }
        #expect(keywords("steps") == StepKeyword.accepted(by: .sqlalchemy).map(\.spelling))
        #expect(keywords("settings") == SessionSetting.allCases.map(\.spelling))
        #expect(keywords("lines") == LineKeyword.allCases.map(\.spelling))
        #expect(keywords("roles") == SessionRoleKeyword.allCases.map(\.spelling))
        let steps = try #require(object["steps"] as? [[String: Any]])
        let expect = try #require(steps.first { $0["keyword"] as? String == "expect" })
        #expect(expect["arguments"] as? String == "required")
        #expect(expect["values"] as? [String] == ["on", "off"])
        #expect(expect["session"] as? String == "test")
        let switchOn = try #require(steps.first { $0["keyword"] as? String == "switch-on" })
        #expect(switchOn["session"] as? String == "app")
        // Each step says whether it takes a lamp name (a random scenario generator reads this key).
        let lampSteps = steps.filter { $0["lamp"] as? Bool == true }.compactMap { $0["keyword"] as? String }
        #expect(steps.allSatisfy { $0["lamp"] is Bool })
        #expect(lampSteps == StepKeyword.accepted(by: .sqlalchemy).filter(\.takesLamp).map(\.spelling))
        #expect(lampSteps.contains("switch-on") && lampSteps.contains("delete") && !lampSteps.contains("commit"))
    }

    @Test("lamp names: a lowercase identifier that is no step's argument word")
    func lampNames() {
        #expect(LampName.isValid("a") && LampName.isValid("lamp_2"))
        for word in ["on", "off", "status", "awaitable", "id", "commit", "flush", "A", "2a", "a-b", "", String(repeating: "a", count: 64)] {
            #expect(!LampName.isValid(word), "\(word)")
        }
    }

    @Test("the grammar page's block (docs/scenario-grammar.md) is the grammar reference, verbatim")
    func readme() throws {
        let readme = try String(contentsOf: Fixtures.directory.deletingLastPathComponent().appendingPathComponent("docs/scenario-grammar.md"), encoding: .utf8)
        let verbatim = readme.contains("```\n" + ScenarioGrammar.reference + "```\n")
        #expect(verbatim, "docs/scenario-grammar.md's grammar block differs from `lampctl scenario --grammar`: run make docs")
    }
}
