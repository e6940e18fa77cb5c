import Foundation
import LampSession
@testable import Scenario
@testable import ScenarioModel
import TestSupport
import Testing

/// Every Django built-in over isolation x test wrapper, and the sample of Django user scenario
/// files (tools/crosscheck-django-sample.txt), through lampctl and through real Django 5.2.19 with
/// psycopg2 (tools/crosscheck-django.sh --sample): the JSON Lines must be identical. `make
/// crosscheck` runs every file. `make test` prepares the Python environment
/// (tools/django-venv.sh) and passes it in LAMPCTL_DJANGO_PYTHON.
@Suite("Cross-check against real Django", .bounded(seconds: 600))
struct DjangoCrosscheckTests {
    static var repository: URL { Fixtures.directory.deletingLastPathComponent() }

    /// The Python with Django that `make test` prepared.
    static func python() throws -> String {
        try TestMode.requirePython()
        let python = ProcessInfo.processInfo.environment["LAMPCTL_DJANGO_PYTHON"]
            ?? repository.appendingPathComponent(".build/django-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python with Django at \(python): run tools/django-venv.sh (make test does)")
        return python
    }

    @Test("lampctl and Django agree on every case of the sample")
    func identical() throws {
        let script = Self.repository.appendingPathComponent("tools/crosscheck-django.sh").path
        let run = try TestProcess.run("/bin/bash", [script, "--sample"], environment: LampctlProcess.environment([
            "DATABASE_URL": try TestDatabase.url, "PYTHON": try Self.python(), "LAMPCTL_BIN": LampctlProcess.binary,
        ]), timeout: SQLAlchemyCrosscheckTests.scriptTimeout)
        let text = run.stdout + run.stderr
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("cases identical to Django 5.2.19"), "\(text)")
    }

    @Test("lampctl and Django agree on random Django scenario files (the bounded seed range reaches every keyword)")
    func randomFiles() throws {
        let script = Self.repository.appendingPathComponent("tools/crosscheck-django-fuzz.py").path
        let run = try TestProcess.run(try Self.python(), [script, "--sample", "--keep-going", "--lampctl", LampctlProcess.binary,
                                                          "--database-url", try TestDatabase.url],
                                      environment: LampctlProcess.environment([:]), timeout: SQLAlchemyCrosscheckTests.scriptTimeout)
        let text = run.stdout + run.stderr
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("django-fuzz: 30 seeds (0:30)"), "\(text)")
        #expect(text.contains("; 0 disagreements; "), "\(text)")
        #expect(text.contains("never generated: nothing"), "the sample reaches every keyword: \(text)")
    }

    /// The sample's user files, as crosscheck-django.sh --sample runs them.
    static func sampleTexts() throws -> [String] {
        let list = try String(contentsOf: repository.appendingPathComponent("tools/crosscheck-django-sample.txt"), encoding: .utf8)
        let names = list.split(separator: "\n").map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0] }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return try names.map { try String(contentsOf: Fixtures.url("django-user-scenarios/\($0)"), encoding: .utf8) }
    }

    @Test("the built-ins and the sample use every step, argument, setting value, role and test wrapper Django accepts")
    func coversDjangosGrammar() throws {
        var grammar = Set<String>()
        for keyword in StepKeyword.accepted(by: .django) {
            grammar.insert("step \(keyword.spelling)")
            for value in keyword.arguments(in: .django).values { grammar.insert("step \(keyword.spelling) \(value)") }
        }
        for setting in SessionSetting.accepted(by: .django) {
            for value in setting.values(in: .django) ?? [] { grammar.insert("setting \(setting.spelling)=\(value)") }
        }
        for role in SessionRoleKeyword.allCases { grammar.insert("role \(role.spelling)") }
        var used = Set<String>()
        let texts = (DjangoProfile.strategies + DjangoProfile.otherBuiltIns).map(\.text) + (try Self.sampleTexts())
        for text in texts {
            let scenario = try ScenarioParser(file: "sample").parse(text)
            #expect(scenario.orm == .django)
            for step in scenario.steps {
                used.insert("step \(step.action.keyword.spelling)")
                if let argument = step.action.argument { used.insert("step \(step.action.keyword.spelling) \(argument)") }
            }
            for session in scenario.sessions {
                used.insert("role \(session.roleKeyword.spelling)")
                if let level = session.isolation { used.insert("setting isolation=\(level.argument)") }
                if let wrapper = session.fixture { used.insert("setting fixture=\(wrapper.rawValue)") }
            }
        }
        let missing = grammar.subtracting(used).sorted()
        #expect(missing.isEmpty, "not in the Django sample (add a file that uses it to tools/crosscheck-django-sample.txt): \(missing.joined(separator: ", "))")
    }
}
