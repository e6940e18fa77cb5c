import Foundation
@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

/// `make test` cross-checks a sample against real SQLAlchemy: every built-in, the files in
/// tools/crosscheck-sample.txt, the replica built-ins and Fixtures/replica-user-scenarios (one
/// cell), and the random files of `SQLAlchemyFuzzTests.seeds`; `make crosscheck` runs everything.
/// Together they must still reach every keyword of the grammar.
@Suite("The make-test cross-check sample", .bounded)
struct CrosscheckSampleTests {
    static var repository: URL { Fixtures.directory.deletingLastPathComponent() }

    /// The sample's files, as crosscheck.sh --sample runs them.
    static func sampleFiles() throws -> [URL] {
        let list = try String(contentsOf: repository.appendingPathComponent("tools/crosscheck-sample.txt"), encoding: .utf8)
        let sample = list.split(separator: "\n").map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0] }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let replicaUser = try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("replica-user-scenarios").path)
            .filter { $0.hasSuffix(".scenario") }
        return sample.map { Fixtures.url("user-scenarios/\($0)") } + replicaUser.map { Fixtures.url("replica-user-scenarios/\($0)") }
    }

    /// What every built-in (the replica ones included) and the sample's files use, as
    /// `step KEYWORD`, `step KEYWORD ARGUMENT`, `setting NAME=VALUE` and `role KIND`.
    static func used() throws -> Set<String> {
        var texts = (BuiltInScenarios.sources + BuiltInScenarios.replicaSources + BuiltInScenarios.fixtureSources).map(\.text)
        texts += try sampleFiles().map { try String(contentsOf: $0, encoding: .utf8) }
        texts += try fuzzFiles()
        var used = Set<String>()
        for text in texts {
            let scenario = try ScenarioParser(file: "sample").parse(text)
            for step in scenario.steps {
                used.insert("step \(step.action.keyword.spelling)")
                if let argument = step.action.argument { used.insert("step \(step.action.keyword.spelling) \(argument)") }
            }
            for line in text.split(separator: "\n") where line.hasPrefix("session ") {
                let words = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0].split(separator: " ")
                if words.count > 2 { used.insert("role \(words[2])") }
                for (index, word) in words.enumerated().dropFirst(3) {
                    if word.contains("=") {
                        let value = word.split(separator: "=", maxSplits: 1).map(String.init)
                        let setting = value[0] == "sticky" ? "sticky=DURATION" : "\(value[0])=\(value.count > 1 ? value[1] : "")"
                        used.insert("setting \(setting)")
                    } else if word == "uses", index + 1 < words.count {
                        used.insert("setting uses")
                    }
                }
            }
        }
        return used
    }

    /// The random files make test's bounded differential check runs (`crosscheck-fuzz.py --show`).
    static func fuzzFiles() throws -> [String] {
        let run = try TestProcess.run(try SQLAlchemyCrosscheckTests.python(), [
            SQLAlchemyFuzzTests.script, "--show", SQLAlchemyFuzzTests.seeds, "--lampctl", LampctlProcess.binary,
        ])
        try #require(run.status == 0, "\(run.stderr)")
        let files = run.stdout.components(separatedBy: "\nscenario ").enumerated().map { $0.offset == 0 ? $0.element : "scenario " + $0.element }
        try #require(files.count == SQLAlchemyFuzzTests.seedCount, "\(run.stdout.prefix(500))")
        return files
    }

    /// Everything the grammar tables list.
    static var grammar: Set<String> {
        var all = Set<String>()
        for keyword in StepKeyword.accepted(by: .sqlalchemy) {
            all.insert("step \(keyword.spelling)")
            for value in keyword.arguments.values { all.insert("step \(keyword.spelling) \(value)") }
        }
        for setting in SessionSetting.allCases {
            if let values = setting.values {
                for value in values { all.insert("setting \(setting.spelling)=\(value)") }
            } else {
                all.insert("setting \(setting.spelling)")
            }
        }
        for role in SessionRoleKeyword.allCases { all.insert("role \(role.spelling)") }
        return all
    }

    @Test("every step keyword, argument, setting value and session kind is in the sample")
    func coversTheGrammar() throws {
        let missing = Self.grammar.subtracting(try Self.used()).sorted()
        #expect(missing.isEmpty, "not in the make-test cross-check sample (add a file that uses it to tools/crosscheck-sample.txt): \(missing.joined(separator: ", "))")
    }

    @Test("every listed file exists")
    func filesExist() throws {
        for file in try Self.sampleFiles() {
            #expect(FileManager.default.fileExists(atPath: file.path), "\(file.path)")
        }
    }
}
