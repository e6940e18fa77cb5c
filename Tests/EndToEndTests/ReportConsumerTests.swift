import Foundation
import TestSupport
import Testing

/// The reports read by real consumers (tools/check-reports.sh --sample): every SQLAlchemy and
/// Django built-in's HTML report through a strict HTML5 parser (html5lib) with the checks screen
/// readers and self-containment need, and its JUnit file validated against the JUnit 10 schema
/// and read back by junitparser. `make test` prepares the Python environment
/// (tools/report-venv.sh) and passes it in LAMPCTL_REPORT_PYTHON; `make crosscheck` adds every
/// replica built-in and headless Chromium.
@Suite("Reports read by real consumers", .bounded(seconds: 300))
struct ReportConsumerTests {
    static func python() throws -> String {
        try TestMode.requirePython()
        let python = ProcessInfo.processInfo.environment["LAMPCTL_REPORT_PYTHON"]
            ?? Fixtures.directory.deletingLastPathComponent().appendingPathComponent(".build/report-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python with html5lib and junitparser at \(python): run tools/report-venv.sh (make test does)")
        return python
    }

    static let tools = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("tools")

    @Test("every SQLAlchemy and Django built-in: the report parses as HTML5 and is self-contained; the JUnit file passes the schema and reads back")
    func builtIns() throws {
        let scratch = try ScratchDirectory("reports")
        let run = try TestProcess.run("/bin/bash", [Self.tools.appendingPathComponent("check-reports.sh").path, "--sample"],
                                      environment: LampctlProcess.environment([
                                          "DATABASE_URL": try TestDatabase.url, "PYTHON": try Self.python(),
                                          "LAMPCTL_BIN": LampctlProcess.binary, "LAMPCTL_REPORTS_DIR": scratch.at("out"),
                                      ]), timeout: 240)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("check-reports: 23 reports and JUnit files read by html5lib and junitparser"), "\(run.stdout)")
        // What junitparser read back: the counts lampctl declared, the cases' results.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: scratch.at("out/junit.json")))) as? [String: Any])
        let suites = (json["files"] as? [[String: Any]] ?? []).flatMap { $0["suites"] as? [[String: Any]] ?? [] }
        let byName = Dictionary(suites.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let none = try #require(byName["none"])
        #expect(none["failures"] as? Int == 1)
        let cases = try #require(none["cases"] as? [[String: Any]])
        #expect(cases.first?["result"] as? String == "failure")
        #expect((cases.first?["message"] as? String)?.hasPrefix("stale (identity map), false failure") == true)
        let blocked = try #require(byName["django-select-for-update"])
        #expect(blocked["errors"] as? Int == 1)
    }

    @Test("the consumers catch a report that would load from outside or lacks what screen readers need, and a JUnit file off the schema")
    func checkerCanFail() throws {
        let scratch = try ScratchDirectory("reports")
        let run = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--report", scratch.at("good.html"), "--junit", scratch.at("good.xml")])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOfFile: scratch.at("good.html"), encoding: .utf8)
        try html.replacingOccurrences(of: "<h1>", with: "<h1><img src=\"https://example.com/x.png\" alt=\"\">")
            .write(toFile: scratch.at("outside.html"), atomically: true, encoding: .utf8)
        try html.replacingOccurrences(of: "<html lang=\"en\">", with: "<html>").write(toFile: scratch.at("nolang.html"), atomically: true, encoding: .utf8)
        let checker = Self.tools.appendingPathComponent("check-report.py").path
        let checked = try TestProcess.run(try Self.python(), [checker, "html", scratch.at("good.html"), scratch.at("outside.html"), scratch.at("nolang.html")])
        #expect(checked.status == 1)
        #expect(checked.stdout.contains("ok \(scratch.at("good.html"))"), "\(checked.stdout)")
        #expect(checked.stdout.contains("FAIL \(scratch.at("outside.html"))"), "\(checked.stdout)")
        #expect(checked.stdout.contains("FAIL \(scratch.at("nolang.html"))"), "\(checked.stdout)")
        let xml = try String(contentsOfFile: scratch.at("good.xml"), encoding: .utf8)
        try xml.replacingOccurrences(of: " tests=\"1\" failures", with: " failures").write(toFile: scratch.at("bad.xml"), atomically: true, encoding: .utf8)
        let junit = try TestProcess.run(try Self.python(), [checker, "junit", scratch.at("good.xml"), scratch.at("bad.xml")])
        #expect(junit.status == 1, "\(junit.stdout)\(junit.stderr)")
        #expect(junit.stderr.contains("bad.xml"), "\(junit.stderr)")
        #expect(!junit.stderr.contains("good.xml"), "\(junit.stderr)")
    }
}
